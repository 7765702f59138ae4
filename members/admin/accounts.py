"""Portal accounts in the admin: deactivating an account ends its sessions."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.admin.common import acting_user, search_through
from members.admin.personal_data import PersonalDataAdminMixin
from members.forms import (
    CommunicationsInvitationForm,
    UserChangeForm,
    UserCreationForm,
)
from members.models import (
    User,
)
from members.services.accounts import user_deactivate, user_invite_communications, user_staff_status_sync
from members.services.twofactor import two_factor_reset
from metropolis.refusals import refusal_text


@admin.register(User)
class UserAdmin(PersonalDataAdminMixin, DjangoUserAdmin):
    """Accounts. A member city's focal point is invited from the contact list
    ("invite to the portal"), a member of the communications team from this
    list ("invite a communications user"); their role is a group, and staff
    status follows the role (read-only here). Deactivating an account, here or
    with the action, goes through the service, which ends its sessions."""

    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "member_city", "is_staff", "is_active", "last_login"]
    list_select_related = ["member_city"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name", *search_through("member_city")]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "member_city", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "email_verified_at"]}),
        (_("Personal data"), {"fields": ["personal_data_links", "erased_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    # The language is the person's choice (sign-up, invitation): shown, not changed here.
    readonly_fields = [
        "is_staff",
        "language",
        "last_login",
        "date_joined",
        "email_verified_at",
        "personal_data_links",
        "erased_at",
    ]
    autocomplete_fields = ["member_city"]
    actions = [
        "deactivate",
        "reset_two_factor",
        "export_personal_data_json",
        "export_personal_data_csv",
        "erase_personal_data",
    ]

    def has_deactivate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("members.deactivate_users")

    def has_reset_two_factor_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("members.reset_two_factor")

    def save_model(self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool) -> None:
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_deactivate(user=obj, by=acting_user(request))
        else:
            super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The groups are saved now: staff status follows them.
        user_staff_status_sync(user=form.instance)

    def get_urls(self) -> list:
        invite = path(
            "invite-communications/",
            self.admin_site.admin_view(self.invite_communications_view),
            name="members_user_invite_communications",
        )
        return [invite, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "can_invite": request.user.has_perm("members.invite_portal_users"),
        }
        return super().changelist_view(request, extra_context)

    def invite_communications_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("members.invite_portal_users"):
            raise PermissionDenied
        form = CommunicationsInvitationForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
        if request.method == "POST" and form.is_valid():
            try:
                user = user_invite_communications(
                    **form.cleaned_data, base_url=request.build_absolute_uri("/"), by=acting_user(request)
                )
            except ValidationError as error:
                form.add_error(None, refusal_text(error))
            else:
                self.message_user(
                    request,
                    gettext(
                        "%(name)s (%(email)s) is invited to the portal as a member of the communications team."
                    )
                    % {"name": user.full_name, "email": user.email},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:members_user_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Invite a communications user"),
            "form": form,
            "opts": self.model._meta,
            "days": settings.PORTAL_INVITATION_TIMEOUT // (24 * 60 * 60),
        }
        return TemplateResponse(request, "admin/members/user/invite_communications.html", context)

    @admin.action(description=_("Deactivate (ends their sessions at once)"), permissions=["deactivate"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset.filter(is_active=True):
            user_deactivate(user=user, by=acting_user(request))
        self.message_user(
            request, gettext("The selected accounts are deactivated and logged out."), messages.SUCCESS
        )

    @admin.action(
        description=_("Reset two-factor sign-in (a lost phone: they set it up again)"),
        permissions=["reset_two_factor"],
    )
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset:
            two_factor_reset(user=user, by=acting_user(request))
        self.message_user(
            request,
            gettext("Two-factor sign-in is reset: at their next sign-in they set up an authenticator again."),
            messages.SUCCESS,
        )


# An authenticator's secret is never shown in the admin (django-otp registers its
# devices there): the secretariat resets an account's second factor instead.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
