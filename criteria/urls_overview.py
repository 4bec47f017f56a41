"""URLs of the criteria overview pages."""

urlpatterns: list = []
