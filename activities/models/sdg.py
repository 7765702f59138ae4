"""The Sustainable Development Goals and their targets, used to tag events,
pilot projects, learning activities and publications (as UN-Habitat tags the
services of its catalogue). The 17 goals are loaded by a data migration; targets
are added by the secretariat as records need them."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# "11.1", "11.a", "17.19": goal number, a dot, then a number or a letter.
TARGET_CODE = re.compile(r"^(?P<goal>[1-9]|1[0-7])\.(?:[1-9][0-9]?|[a-z])$")


class SdgGoal(models.Model):
    """One of the 17 Sustainable Development Goals."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("SDG goal")
        verbose_name_plural = _("SDG goals")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"SDG {self.number}: {self.name}"


class SdgTarget(models.Model):
    """A target of a goal, such as 11.1 (adequate, safe and affordable housing)."""

    goal = models.ForeignKey(
        SdgGoal, on_delete=models.PROTECT, related_name="targets", verbose_name=_("goal")
    )
    code = models.CharField(
        _("code"), max_length=6, unique=True, help_text=_("Goal number, a dot and the target: 11.1, 11.a.")
    )
    title = models.CharField(_("title"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")
        ordering = ["goal__number", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def clean(self) -> None:
        match = TARGET_CODE.match(self.code or "")
        if not match:
            raise ValidationError(
                {"code": _("Write a target as the goal number, a dot and the target: 11.1.")}
            )
        if self.goal_id is not None and int(match["goal"]) != self.goal.number:
            raise ValidationError(
                {
                    "code": _("Target %(code)s belongs to goal %(number)s, not to goal %(goal)s.")
                    % {"code": self.code, "number": match["goal"], "goal": self.goal.number}
                }
            )
