"""REST API of the funding app: cement batches, allocations, deliveries and use reports
(:mod:`funding.api.cement`), the cement reserve's proposal and approval, actions of the batches
(:mod:`funding.api.reserve`), fund
sources, allocations and disbursements (:mod:`funding.api.funds`), value-chain projects
and OCOP products (:mod:`funding.api.projects`). What they share is
:mod:`funding.api.common`."""

from funding.api import cement, funds, projects

# (path under /api/v1/, view set, URL name prefix), mounted by ntm_portal.api_urls.
ROUTES = [*cement.ROUTES, *funds.ROUTES, *projects.ROUTES]
