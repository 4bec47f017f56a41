"""English interface, Vietnamese conventions: the province reads dd/mm/yyyy and 17,23 in both languages."""

from core.formats.vi.formats import *  # noqa: F403
