"""Template context that every page shares and no app owns."""

from django.conf import settings


def portal(request):
    """``demo_mode``: show the banner that says the data shown is illustrative demo data."""
    return {"demo_mode": settings.DEMO_DATA}
