"""REST API of the criteria app: catalogue (being written)."""

# (path under /api/v1/, view set, URL name prefix), mounted by ntm_portal.api_urls.
ROUTES = []
