"""Notifications: what the portal tells a person about the work of others, as a
notice in the portal and an e-mail in their language. The secretariat hears of
a city's submissions and of a change of its head of government; a city's
editors hear of the decision on their submissions. Each kind can be turned off
by its recipient (:class:`NotificationMute`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    SUBMISSION_RECEIVED = "submission-received", _("A city submitted an item for review")
    HEAD_CHANGED = "head-changed", _("A city changed its head of government")
    SUBMISSION_APPROVED = "submission-approved", _("A submission of my city was approved")
    SUBMISSION_REJECTED = "submission-rejected", _("A submission of my city was rejected")


# Who hears of each kind: the secretariat, or the editors of the city concerned.
SECRETARIAT_KINDS = (NotificationKind.SUBMISSION_RECEIVED, NotificationKind.HEAD_CHANGED)
CITY_EDITOR_KINDS = (NotificationKind.SUBMISSION_APPROVED, NotificationKind.SUBMISSION_REJECTED)


class Notification(models.Model):
    """One notice to one person. ``key`` names the event it is about (the same
    event notifies a person once, however often the task runs)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    member = models.ForeignKey(
        "members.MemberCity", on_delete=models.CASCADE, related_name="+", verbose_name=_("member city")
    )
    # What it is about, as the city typed it (a submission's title, a head's name).
    subject = models.CharField(_("about"), max_length=300)
    detail = models.TextField(_("detail"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(_("event"), max_length=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_event_and_person")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class NotificationMute(models.Model):
    """A kind of notification a person turned off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_mutes",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)

    class Meta:
        verbose_name = _("notification turned off")
        verbose_name_plural = _("notifications turned off")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_mute_per_user_and_kind")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"
