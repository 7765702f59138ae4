"""The gender app: the indicator registry of every figure the association
publishes (key results, the gender impact assessment, governance, finance), and
the records only those figures need (gender tools, staff, funding)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GenderConfig(AppConfig):
    name = "gender"
    # The app's name says where its first figures came from; what it holds is
    # the registry of every published figure.
    verbose_name = _("Indicators, gender and finance")
