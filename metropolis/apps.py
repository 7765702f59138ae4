"""The project itself as an installed app, so that the commands of its
composition roots (the dataset loader) are found by ``manage.py``."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class MetropolisConfig(AppConfig):
    default = True
    name = "metropolis"
    label = "metropolis"
    verbose_name = _("Metropolis Portal")


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the secretariat's site (``metropolis.admin_site``)."""

    default = False
    default_site = "metropolis.admin_site.StaffAdminSite"
