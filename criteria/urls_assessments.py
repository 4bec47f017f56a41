"""URLs of the criteria assessments pages."""

urlpatterns: list = []
