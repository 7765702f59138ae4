"""Portal accounts: a custom user that logs in with an e-mail address. A member
city's focal point is bound to their city (``member_city``); the role groups
say what they may do there (members/permissions.py). A person who applies to a
call signs up and verifies their address (``email_verified_at``); every account
gets its e-mails in its ``language``."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str):
        # E-mail addresses are stored lower-case; logins are case-insensitive.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in to the portal: secretariat staff, the communications
    team or a member city's focal point."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can log in to the secretariat admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the person's data was erased on request (members.services.personal_data).
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True, editable=False)
    # Whether the account has a confirmed authenticator (kept by
    # members.services.twofactor), so that no request looks its devices up.
    two_factor_enabled = models.BooleanField(_("two-factor sign-in"), default=False, editable=False)
    member_city = models.ForeignKey(
        "members.MemberCity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_users",
        verbose_name=_("member city"),
        help_text=_(
            "For a member city's focal point: the city whose records the account sees in the "
            "portal (and, with the city-editor role, keeps up to date)."
        ),
    )
    # A person who signs up to apply to a call proves their address with the
    # link sent to it; accepting an invitation proves it too.
    email_verified_at = models.DateTimeField(
        _("e-mail address verified"),
        null=True,
        blank=True,
        help_text=_("When the person proved the address is theirs (sign-up link or invitation)."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails the portal sends to this person."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email
