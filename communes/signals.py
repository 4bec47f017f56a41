"""Signals other apps use to add to the unit pages, which this app owns but whose
content partly belongs to apps above it in the layers."""

from django.dispatch import Signal

# Sent by the unit page (``sender=AdministrativeUnit``, keyword arguments ``request`` and
# ``unit``) while it is built. A receiver returns the HTML of one section (a string,
# already rendered and escaped, e.g. by ``render_to_string``) or None to add nothing.
# Sections appear in the order the receivers were connected (the apps' ``ready()``).
unit_page_sections = Signal()
