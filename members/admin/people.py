"""People, roles and the membership log in the admin: heads of government,
contacts (invited to the portal from here), Board mandates, regions."""

from typing import Any, Protocol

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from modeltranslation.admin import TranslationAdmin

from members.admin.common import (
    ImportAllOrNothing,
    ReadOnlyLogAdmin,
    SimpleHistoryAdmin,
    SpreadsheetFormats,
    VersionCheckedAdmin,
    acting_user,
    run_form_action,
    search_through,
)
from members.admin.personal_data import PersonalDataAdminMixin
from members.forms import (
    InvitationForm,
)
from members.models import (
    BoardMandate,
    Contact,
    HeadOfGovernment,
    MemberCity,
    MembershipChange,
    Region,
)
from members.resources import ContactResource, HeadOfGovernmentResource
from members.services.accounts import user_invite
from metropolis.refusals import refusal_text


@admin.register(MembershipChange)
class MembershipChangeAdmin(ReadOnlyLogAdmin):
    """Written by the lifecycle actions of the member list."""

    list_display = ["member", "from_status", "to_status", "effective_on", "changed_by", "created_at"]
    list_select_related = ["member", "changed_by"]
    list_filter = ["to_status"]
    search_fields = [*search_through("member"), "reason"]
    readonly_fields = (
        "member",
        "from_status",
        "to_status",
        "effective_on",
        "reason",
        "changed_by",
        "created_at",
    )
    fields = readonly_fields


@admin.register(HeadOfGovernment)
class HeadOfGovernmentAdmin(
    VersionCheckedAdmin,
    PersonalDataAdminMixin,
    ImportAllOrNothing,
    SpreadsheetFormats,
    ImportExportMixin,
    SimpleHistoryAdmin,
):
    resource_classes = [HeadOfGovernmentResource]
    list_display = ["name", "member", "title", "gender", "term_start", "term_end"]
    list_select_related = ["member"]
    list_filter = ["gender", "member__region"]
    search_fields = ["name", "name_local", *search_through("member")]
    fields = [
        "member",
        "name",
        "name_local",
        "title",
        "gender",
        "term_start",
        "term_end",
        "personal_data_links",
        "loaded_version",
    ]
    readonly_fields = ["personal_data_links"]
    autocomplete_fields = ["member"]
    actions = ["export_personal_data_json", "export_personal_data_csv", "erase_personal_data"]


@admin.register(Contact)
class ContactAdmin(
    VersionCheckedAdmin,
    PersonalDataAdminMixin,
    ImportAllOrNothing,
    SpreadsheetFormats,
    ImportExportMixin,
    SimpleHistoryAdmin,
):
    resource_classes = [ContactResource]
    list_display = ["name", "member", "role", "email", "preferred_language", "is_primary"]
    list_select_related = ["member"]
    list_filter = ["is_primary", "preferred_language", "member__region"]
    search_fields = ["name", "email", *search_through("member")]
    fields = [
        "member",
        "name",
        "role",
        "email",
        "phone",
        "preferred_language",
        "gender",
        "is_primary",
        "personal_data_links",
        "loaded_version",
    ]
    readonly_fields = ["personal_data_links"]
    autocomplete_fields = ["member"]
    actions = [
        "invite_to_portal",
        "export_personal_data_json",
        "export_personal_data_csv",
        "erase_personal_data",
    ]

    def has_invite_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("members.invite_portal_users")

    @admin.action(description=_("Invite to the portal"), permissions=["invite"])
    def invite_to_portal(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        contacts = list(queryset.select_related("member"))

        def perform(data: dict[str, Any]) -> None:
            # One contact at a time: an e-mail that has gone out cannot be taken back.
            for contact in contacts:
                try:
                    user = user_invite(
                        member=contact.member,
                        email=contact.email,
                        full_name=contact.name,
                        role=data["role"],
                        language=contact.preferred_language,
                        base_url=request.build_absolute_uri("/"),
                        by=acting_user(request),
                    )
                except ValidationError as error:
                    self.message_user(request, f"{contact.name}: {refusal_text(error)}", messages.ERROR)
                    continue
                self.message_user(
                    request,
                    gettext("%(name)s (%(email)s) is invited to the portal of %(member)s.")
                    % {"name": contact.name, "email": user.email, "member": contact.member.name},
                    messages.SUCCESS,
                )

        return run_form_action(
            self,
            request,
            queryset,
            form_class=InvitationForm,
            title=gettext("Invite to the portal"),
            intro=gettext(
                "Each selected contact receives an e-mail with a link, valid for %(days)s days and usable "
                "once, where they choose a password. Their account sees only their own city."
            )
            % {"days": settings.PORTAL_INVITATION_TIMEOUT // (24 * 60 * 60)},
            submit_label=gettext("Send the invitations"),
            perform=perform,
        )


@admin.register(BoardMandate)
class BoardMandateAdmin(SimpleHistoryAdmin):
    list_display = ["member", "role", "region", "holder_name", "start", "end"]
    list_select_related = ["member", "region"]
    list_filter = ["role", "region"]
    search_fields = ["holder_name", *search_through("member")]
    fields = ["member", "role", "region", "holder_name", "holder_gender", "start", "end"]
    autocomplete_fields = ["member"]


class _RegionRow(Protocol):
    member_count: int


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "code", "position", "member_count"]
    search_fields = ["name_en", "name_es", "name_fr", "name_zh_hans", "code"]
    fields = ["name", "code", "position"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Each region's members counted on the index of their region, not a join
        # of every member grouped by region: the five rows cost the same
        # whatever the size of the network.
        members = (
            MemberCity.objects.filter(region=OuterRef("pk"))
            .order_by()
            .values("region")
            .annotate(count=Count("pk"))
            .values("count")
        )
        count = Coalesce(Subquery(members, output_field=IntegerField()), Value(0))
        return super().get_queryset(request).annotate(member_count=count)

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, region: "_RegionRow") -> int:
        return region.member_count
