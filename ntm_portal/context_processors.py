"""Template context shared by every page."""

from django.conf import settings


def portal(request):
    """``demo_mode``: the banner that says the data shown is illustrative demo data."""
    return {"demo_mode": settings.DEMO_DATA}
