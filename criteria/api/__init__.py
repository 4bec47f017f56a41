"""REST API of the criteria app: the catalogue, periods, recognitions and the overview
(:mod:`criteria.api.catalogue`), assessments with their values, workflow actions and
bulk values (:mod:`criteria.api.assessments`)."""

from criteria.api import assessments, catalogue

# (path under /api/v1/, view set, URL name prefix), mounted by ntm_portal.api_urls.
ROUTES = [*catalogue.ROUTES, *assessments.ROUTES]
