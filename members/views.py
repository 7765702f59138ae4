"""Pages of portal accounts: accepting an invitation, signing up to apply to a
call and verifying the address, the lockout page, and the second step of
signing in (two factors)."""

import datetime
from base64 import b32encode
from typing import Any, cast

import segno
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_decode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from metropolis.refusals import refusal_text

from .forms import NotificationChoicesForm, SignUpForm, TwoFactorCodeForm
from .models import User
from .selectors.notifications import (
    notification_kinds_for_user,
    notification_mutes_for_user,
    notifications_for_user,
)
from .services.accounts import applicant_sign_up, user_accept_invitation, user_verify_email
from .services.notifications import notification_choices_set, notifications_mark_read
from .services.twofactor import (
    recovery_codes_renew,
    two_factor_confirm,
    two_factor_start,
    two_factor_turn_off,
)
from .tokens import email_verification_token_generator, invitation_token_generator
from .twofactor import two_factor_required


class InvitationAcceptView(PasswordResetConfirmView):
    """The link of an invitation: the person chooses a password, which
    activates the account. Like the password reset's page, the token moves to
    the session at once, so that it never appears in a Referer header."""

    token_generator = invitation_token_generator
    template_name = "registration/invitation_accept.html"
    success_url = reverse_lazy("login")
    title = gettext_lazy("Welcome to the Metropolis Portal")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            # The form is shown only for a valid link, which names an account.
            account = cast(User, self.user)
            user_accept_invitation(user=account, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your password is set. Log in with your e-mail address and it."))
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not self.validlink:
            context["title"] = _("This invitation link cannot be used")
        return context


def login_locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): too many failed
    logins for this account from this address; says when to try again."""
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    context = {"minutes": max(1, round(cool_off.total_seconds() / 60))}
    return render(request, "registration/locked_out.html", context, status=429)


# --- Two-factor sign-in -------------------------------------------------------------------------


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _signed_in_page(request: HttpRequest) -> str:
    return reverse("admin:index") if request.user.is_staff else reverse("home")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code of the authenticator app or a
    recovery code (each works once). Wrong codes slow down (django-otp's
    throttling); the password's lockout applies before this step."""
    user = cast(User, request.user)
    if not user.two_factor_enabled:
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': _next_or(request, '')})}")
    if user.is_verified():
        return redirect(_next_or(request, _signed_in_page(request)))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip().replace(" ", ""))
        if device is None:
            form.add_error(
                "token", _("This code is not valid. Type the current code of your app, or a recovery code.")
            )
        else:
            otp_login(request, device)
            return redirect(_next_or(request, _signed_in_page(request)))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_or(request, "")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the code, type a first code, keep
    the recovery codes. An account that already has one must verify first (a
    stolen password alone never replaces the owner's authenticator)."""
    user = cast(User, request.user)
    if user.two_factor_enabled and not user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False, pk=request.session.get("two_factor_pending")
    ).first()
    if device is None:
        device = two_factor_start(user=user)
        request.session["two_factor_pending"] = device.pk
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor_confirm(user=user, device=device, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            del request.session["two_factor_pending"]
            otp_login(request, TOTPDevice.objects.get(pk=device.pk))
            context = {"codes": codes, "next": _next_or(request, _signed_in_page(request))}
            return render(request, "registration/two_factor_codes.html", context)
    context = {
        "form": form,
        "next": _next_or(request, ""),
        "secret": b32encode(device.bin_key).decode(),
        # segno draws the QR code as an SVG element, from the provisioning address only.
        "qr": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1d1d1b")),  # noqa: S308
        "required": two_factor_required(user),
    }
    return render(request, "registration/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_manage(request: HttpRequest) -> HttpResponse:
    """The account's second factor: new recovery codes, or turning it off where
    the role allows it."""
    user = cast(User, request.user)
    required = two_factor_required(user)
    if request.method == "POST":
        if not user.two_factor_enabled:
            return redirect("two_factor_manage")
        if request.POST.get("action") == "renew":
            codes = recovery_codes_renew(user=user)
            return render(
                request,
                "registration/two_factor_codes.html",
                {"codes": codes, "next": reverse("two_factor_manage")},
            )
        if request.POST.get("action") == "turn-off":
            try:
                two_factor_turn_off(user=user, required=required)
            except ValidationError as error:
                messages.error(request, refusal_text(error))
            else:
                messages.success(request, _("Two-factor sign-in is turned off."))
        return redirect("two_factor_manage")
    context = {"has_device": user.two_factor_enabled, "required": required}
    return render(request, "registration/two_factor_manage.html", context)


def _safe_next(request: HttpRequest, value: str | None) -> str:
    """``value`` if it is an address of this site, else the home page."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """Sign up to apply to a call: the account works once the address is
    verified through the link e-mailed to it. Whether the address had an
    account already is not told here (the e-mail says it)."""
    language = get_language() or settings.LANGUAGE_CODE
    initial = {"language": language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE}
    initial["next"] = request.GET.get("next", "")
    form = SignUpForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        next_url = _safe_next(request, data["next"])
        try:
            applicant_sign_up(
                email=data["email"],
                full_name=data["full_name"],
                password=data["password"],
                language=data["language"],
                base_url=request.build_absolute_uri("/"),
                next_url=next_url,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(reverse("sign_up_done") + "?" + urlencode({"email": data["email"]}))
    return render(request, "registration/sign_up.html", {"form": form})


@require_GET
def sign_up_done(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/sign_up_done.html", {"email": request.GET.get("email", "")})


def _account_of_link(uidb64: str) -> User | None:
    try:
        return User.objects.filter(pk=int(force_str(urlsafe_base64_decode(uidb64)))).first()
    except (TypeError, ValueError, OverflowError):
        return None


@require_http_methods(["GET", "POST"])
def email_verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link of a sign-up: a page with one button (an e-mail scanner that
    opens the link changes nothing); pressing it verifies the address,
    activates the account and logs the person in."""
    user = _account_of_link(uidb64)
    valid = user is not None and email_verification_token_generator.check_token(user, token)
    next_url = _safe_next(request, request.GET.get("next"))
    if request.method == "POST" and valid and user is not None:
        try:
            user = user_verify_email(user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your address is verified and your account is open."))
        return HttpResponseRedirect(next_url)
    context = {"validlink": valid, "account": user if valid else None}
    return render(request, "registration/verify_email.html", context, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The account's notices (newest first; seen once shown) and its choice of
    the kinds it receives."""
    user = cast(User, request.user)
    kinds = notification_kinds_for_user(user=user)
    if request.method == "POST":
        form = NotificationChoicesForm(request.POST, kinds=kinds)
        if form.is_valid():
            try:
                notification_choices_set(user=user, turned_off=form.cleaned_data["turned_off"])
            except ValidationError as error:
                form.add_error(None, refusal_text(error))
            else:
                messages.success(request, _("Your choice of notifications is saved."))
                return redirect("notifications")
    else:
        form = NotificationChoicesForm(
            initial={"turned_off": sorted(notification_mutes_for_user(user=user))}, kinds=kinds
        )
    notices = list(notifications_for_user(user=user)[:50])
    notifications_mark_read(user=user)
    return render(
        request, "registration/notifications.html", {"notices": notices, "form": form, "kinds": kinds}
    )
