"""The indicator registry of every figure the association publishes
(``gender.registry``, the figures in ``gender.indicators``), the gender impact
assessment, governance composition and finance."""
