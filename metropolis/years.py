"""The range of years the portal's records take: one definition for the models,
forms, filters and the API.

The association was founded in 1985; no record of its activity is older, and no
plan reaches beyond 2100.
"""

from django.core.validators import MaxValueValidator, MinValueValidator

FIRST_YEAR = 1985
LAST_YEAR = 2100

YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
