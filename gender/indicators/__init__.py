"""Indicator computations, grouped by the report section they feed. Each module
registers its indicators with :mod:`gender.registry` when imported."""
