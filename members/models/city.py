"""Member cities and what hangs off them: regions, heads of government, contacts,
Board and statutory mandates, and the membership lifecycle."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from members.validators import logo_upload_to, validate_logo


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    ANOTHER = "another", _("Another gender or undisclosed")


class Region(models.Model):
    """One of the association's five regions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class MemberKind(models.TextChoices):
    CITY = "city", _("City")
    METROPOLITAN_AREA = "metropolitan-area", _("Metropolitan area")
    REGIONAL_GOVERNMENT = "regional-government", _("Regional government")
    INSTITUTE = "institute", _("Institute")


class MemberStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The fields of its profile a member city keeps up to date from the portal
# (besides its logo); nothing else of the member changes there. The portal's
# form, its comparison with a save made meanwhile and the service read them here.
CITY_PROFILE_FIELDS = (
    "description_en",
    "description_es",
    "description_fr",
    "description_zh_hans",
    "website",
    "population",
    "population_year",
)


class MemberCity(models.Model):
    """A member of the association: a city, metropolitan area, regional government
    or institute. Its status changes only through the membership services, which
    log every change as a :class:`MembershipChange`."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    country = CountryField(_("country"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="members", verbose_name=_("region"), null=True
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MemberKind.choices, default=MemberKind.CITY)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("population reference year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to=logo_upload_to,
        blank=True,
        validators=[validate_logo],
        help_text=_("PNG or JPEG, at most 2 MB."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    fee_category = models.CharField(_("fee category"), max_length=40, default="standard")
    status = models.CharField(
        _("membership status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.CANDIDATE
    )
    ratified_on = models.DateField(
        _("ratified by the Board on"),
        null=True,
        blank=True,
        help_text=_("Date the Board ratified the membership; a new member of year Y is one ratified in Y."),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    # Optimistic locking (members.services.versions): a form saves only over the
    # version it was loaded with, and the save increments it.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("member city")
        verbose_name_plural = _("member cities")
        ordering = ["name"]
        # The API's member list is ordered by the English name (a field
        # modeltranslation adds): a page is read from this index, whatever the
        # number of members, rather than by sorting the table.
        indexes = [models.Index(fields=["name_en", "id"], name="member_name_en_id")]

    def __str__(self) -> str:
        return self.name

    def is_new_in(self, year: int) -> bool:
        return self.ratified_on is not None and self.ratified_on.year == year


class MembershipChange(models.Model):
    """A step of a member's lifecycle: who changed the status, when, and why."""

    member = models.ForeignKey(
        MemberCity, on_delete=models.PROTECT, related_name="membership_changes", verbose_name=_("member")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=MemberStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=MemberStatus.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")
        ordering = ["member", "effective_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_status} → {self.to_status} ({self.effective_on})"


class HeadOfGovernment(models.Model):
    """A mayor, governor or president of a member, with the term. History is kept;
    the current one is the term that covers today."""

    member = models.ForeignKey(
        MemberCity, on_delete=models.CASCADE, related_name="heads_of_government", verbose_name=_("member")
    )
    name = models.CharField(_("name"), max_length=200)
    name_local = models.CharField(_("name as printed locally"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    # Optimistic locking (members.services.versions).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Set when the person's data was erased on request (members.services.personal_data).
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("head of government")
        verbose_name_plural = _("heads of government")
        ordering = ["member", "-term_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="head_term_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.title})"

    def clean(self) -> None:
        if self.term_end and self.term_start and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("A term cannot end before it starts.")})

    def in_office_on(self, day: datetime.date) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)


class Contact(models.Model):
    """A focal point or other contact person at a member."""

    member = models.ForeignKey(
        MemberCity, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("member")
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    # Optimistic locking (members.services.versions).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Set when the person's data was erased (on request, or at the end of the
    # retention period): the row stays, so that counts and history keep their shape.
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["member", "-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(is_primary=True), name="one_primary_contact_per_member"
            )
        ]

    def __str__(self) -> str:
        return self.name


class BoardRole(models.TextChoices):
    PRESIDENT = "president", _("President")
    CO_PRESIDENT = "co-president", _("Co-president")
    TREASURER = "treasurer", _("Treasurer")
    REGIONAL_SECRETARY = "regional-secretary", _("Regional secretary")
    BOARD_MEMBER = "board-member", _("Board member")


class BoardMandate(models.Model):
    """A member's seat on the Board or another statutory role, for a period."""

    member = models.ForeignKey(
        MemberCity, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("member")
    )
    role = models.CharField(_("role"), max_length=30, choices=BoardRole.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    holder_name = models.CharField(_("held by"), max_length=200, blank=True)
    holder_gender = models.CharField(
        _("gender of the holder"), max_length=10, choices=Gender.choices, blank=True
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("Board mandate")
        verbose_name_plural = _("Board mandates")
        ordering = ["member", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="mandate_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_role_display()}"

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("A mandate cannot end before it starts.")})
        if self.role == BoardRole.REGIONAL_SECRETARY and self.region_id is None:
            raise ValidationError({"region": _("A regional secretary represents a region.")})

    def active_in(self, year: int) -> bool:
        return self.start.year <= year and (self.end is None or self.end.year >= year)
