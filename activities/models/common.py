"""Definitions shared by the activities records: the range of a record's year.

The association was founded in 1985; no record of its activity is older.
"""

from django.core.validators import MaxValueValidator, MinValueValidator

FIRST_YEAR = 1985
LAST_YEAR = 2100

YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
