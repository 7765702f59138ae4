"""A person's data in the admin: a copy as JSON or CSV (from the page of a
contact, an account or a head of government) and the erasure on request (an
action of their lists). Both are the secretariat's (``members.handle_personal_data``)
and both are recorded as personal-data requests."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.admin.common import acting_user, admin_object_or_404, all_or_nothing_form_action
from members.forms import ErasureForm
from members.models import Contact, DataSubjectKind, HeadOfGovernment, User
from members.selectors.personal_data import (
    contact_personal_data,
    head_personal_data,
    personal_data_download,
    user_personal_data,
)
from members.services.personal_data import (
    contact_erase,
    head_of_government_erase,
    personal_data_export_log,
    user_erase,
)

PERMISSION = "members.handle_personal_data"

# For each kind of person: what the export gathers and what the erasure does.
_EXPORTS: dict[type, tuple[str, Callable[..., dict[str, Any]]]] = {
    Contact: (DataSubjectKind.CONTACT, lambda record: contact_personal_data(contact=record)),
    User: (DataSubjectKind.USER, lambda record: user_personal_data(user=record)),
    HeadOfGovernment: (DataSubjectKind.HEAD_OF_GOVERNMENT, lambda record: head_personal_data(head=record)),
}
_ERASURES: dict[type, Callable[..., object]] = {
    Contact: lambda record, by, reason: contact_erase(contact=record, by=by, reason=reason),
    User: lambda record, by, reason: user_erase(user=record, by=by, reason=reason),
    HeadOfGovernment: lambda record, by, reason: head_of_government_erase(head=record, by=by, reason=reason),
}


class PersonalDataAdminMixin:
    """Adds to a person's admin: the copy of their data (a link on their page)
    and the "erase on request" action."""

    def has_personal_data_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PERMISSION)

    def get_urls(self) -> list:
        opts = self.model._meta  # type: ignore[attr-defined]
        export = path(
            "<path:object_id>/personal-data.<str:fmt>",
            self.admin_site.admin_view(self.personal_data_view),  # type: ignore[attr-defined]
            name=f"{opts.app_label}_{opts.model_name}_personal_data",
        )
        return [export, *super().get_urls()]  # type: ignore[misc]

    def personal_data_view(self, request: HttpRequest, object_id: str, fmt: str) -> HttpResponse:
        if not self.has_personal_data_permission(request):
            raise PermissionDenied
        if fmt not in ("json", "csv"):
            raise Http404
        record = admin_object_or_404(self, request, object_id)
        subject_kind, gather = _EXPORTS[self.model]  # type: ignore[attr-defined]
        personal_data_export_log(
            subject_kind=subject_kind,
            subject_id=record.pk,
            label=str(record),
            fmt=fmt,
            by=acting_user(request),
        )
        return personal_data_download(
            data=gather(record), fmt=fmt, filename=f"personal-data-{subject_kind}-{record.pk}"
        )

    @admin.display(description=_("personal data"))
    def personal_data_links(self, record: Any) -> str:
        if record is None or record.pk is None:
            return "–"
        opts = self.model._meta  # type: ignore[attr-defined]
        name = f"admin:{opts.app_label}_{opts.model_name}_personal_data"
        return format_html(
            '{} <a href="{}">JSON</a> · <a href="{}">CSV</a>',
            gettext("A copy of what the portal keeps about this person:"),
            reverse(name, args=[record.pk, "json"]),
            reverse(name, args=[record.pk, "csv"]),
        )

    def _export_one(self, request: HttpRequest, queryset: QuerySet, fmt: str) -> HttpResponse | None:
        records = list(queryset[:2])
        if len(records) != 1:
            self.message_user(  # type: ignore[attr-defined]
                request, gettext("Select one person to make a copy of their data."), messages.WARNING
            )
            return None
        return self.personal_data_view(request, str(records[0].pk), fmt)

    @admin.action(description=_("Copy of the personal data (JSON)"), permissions=["personal_data"])
    def export_personal_data_json(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._export_one(request, queryset, "json")

    @admin.action(description=_("Copy of the personal data (CSV)"), permissions=["personal_data"])
    def export_personal_data_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._export_one(request, queryset, "csv")

    @admin.action(description=_("Erase the personal data on request"), permissions=["personal_data"])
    def erase_personal_data(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        erase = _ERASURES[self.model]  # type: ignore[attr-defined]

        return all_or_nothing_form_action(
            self,  # type: ignore[arg-type]
            request,
            queryset,
            form_class=ErasureForm,
            step=lambda record, data: erase(record, acting_user(request), data["reason"]),
            title=gettext("Erase the personal data on request"),
            intro=gettext(
                "The name, e-mail address and phone of each selected person are erased, in their record, "
                "its history and the mailings sent to them; the record stays, so that counts and the "
                "history keep their shape. If one of them cannot be erased, no one is."
            ),
            submit_label=gettext("Erase"),
            done=gettext("The personal data of %(count)s person(s) is erased."),
            label=str,
        )
