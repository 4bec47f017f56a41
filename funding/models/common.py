"""Field sizes shared by the models of cement, funds and projects."""

from django.db.models import Q

TONNES = {"max_digits": 12, "decimal_places": 3}
VND = {"max_digits": 18, "decimal_places": 0}
KM = {"max_digits": 9, "decimal_places": 3}
# A year of the programme: cement and funds of the NTM programme start in 2010.
YEAR_RANGE = Q(year__gte=2010) & Q(year__lte=2100)
