"""Settings of bench/dashboard_bench.py: the portal's production settings (DEBUG off,
from the environment the bench sets), with static files named as they are, so that pages
render in-process without a ``collectstatic`` manifest."""

from ntm_portal.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
