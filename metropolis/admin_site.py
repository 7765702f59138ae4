"""The secretariat's admin site: its home is the staff home (the figures of
the reporting year, each linked to its list), its models are grouped by task
rather than by app, and its header searches members, contacts, invoices,
events and publications at once."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from activities.selectors.staff_search import staff_search
from reports.staff_home import reporting_year, staff_home

# The admin's models by task: (app label, model name) -> task. A model not
# named here goes with the task of its app (APP_TASKS), else with accounts.
MEMBERS_AND_FEES = "members-and-fees"
ACTIVITIES = "activities"
PLANS_AND_INDICATORS = "plans-and-indicators"
REPORTS = "reports"
ACCOUNTS = "accounts"

TASKS = [
    (MEMBERS_AND_FEES, _("Members and fees")),
    (ACTIVITIES, _("Activities")),
    (PLANS_AND_INDICATORS, _("Plans and indicators")),
    (REPORTS, _("Reports")),
    (ACCOUNTS, _("Accounts")),
]
APP_TASKS = {
    "members": MEMBERS_AND_FEES,
    "activities": ACTIVITIES,
    "gender": PLANS_AND_INDICATORS,
    "reports": REPORTS,
}
MODEL_TASKS = {
    ("members", "user"): ACCOUNTS,
    ("activities", "activememberyear"): MEMBERS_AND_FEES,
    ("activities", "memberprofileposition"): MEMBERS_AND_FEES,
    ("activities", "actionplan"): PLANS_AND_INDICATORS,
    ("activities", "actionline"): PLANS_AND_INDICATORS,
    ("activities", "planmeasure"): PLANS_AND_INDICATORS,
    ("activities", "deliverable"): PLANS_AND_INDICATORS,
    ("activities", "deliverablestatus"): PLANS_AND_INDICATORS,
    ("activities", "sdggoal"): PLANS_AND_INDICATORS,
    ("activities", "sdgtarget"): PLANS_AND_INDICATORS,
    ("activities", "metropolitanindicatoranalysis"): PLANS_AND_INDICATORS,
}


def task_of(app_label: str, model_name: str) -> str:
    return MODEL_TASKS.get((app_label, model_name), APP_TASKS.get(app_label, ACCOUNTS))


class StaffAdminSite(admin.AdminSite):
    index_template = "admin/staff_home.html"

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        """On the home and in the side navigation: the models grouped by task,
        each group sorted by name. An app's own page keeps Django's list."""
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        groups: dict[str, list[dict[str, Any]]] = {task: [] for task, _label in TASKS}
        for app in apps:
            for model in app["models"]:
                groups[task_of(app["app_label"], model["object_name"].lower())].append(model)
        return [
            {
                "name": label,
                "app_label": task,
                "app_url": "",
                "has_module_perms": True,
                "models": sorted(groups[task], key=lambda model: str(model["name"])),
            }
            for task, label in TASKS
            if groups[task]
        ]

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        return super().index(request, {**staff_home(), **(extra_context or {})})

    def get_urls(self) -> list:
        return [
            path("search/", self.admin_view(self.search_view), name="search"),
            path("indicators/", self.admin_view(self.indicators_view), name="indicators"),
            *super().get_urls(),
        ]

    def indicators_view(self, request: HttpRequest) -> HttpResponse:
        """The navigation's link to the indicators: the page of the reporting year."""
        return redirect("gender:key-results", year=reporting_year())

    def search_view(self, request: HttpRequest) -> HttpResponse:
        text = request.GET.get("q", "")
        context = {
            **self.each_context(request),
            "title": _("Search"),
            "query": text,
            "sections": staff_search(text=text, user=request.user),
        }
        return TemplateResponse(request, "admin/search.html", context)
