"""URLs of the criteria catalogue pages."""

urlpatterns: list = []
