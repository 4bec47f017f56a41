"""What every REST API view of the portal shares: one error format, paging, filters
that fail loudly, ETags with If-Match. The apps' API modules build on it."""
