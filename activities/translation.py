"""Translated fields of the activities app (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    ActionLine,
    ActionPlan,
    CallForProjects,
    Deliverable,
    DeliverableStatus,
    Event,
    LearningActivity,
    PilotProject,
    PlanMeasure,
    PolicyStatement,
    Publication,
    SdgGoal,
    SdgTarget,
)


@register(SdgGoal)
class SdgGoalTranslation(TranslationOptions):
    fields = ("name",)


@register(SdgTarget)
class SdgTargetTranslation(TranslationOptions):
    fields = ("title",)


@register(ActionPlan)
class ActionPlanTranslation(TranslationOptions):
    fields = ("title",)


@register(ActionLine)
class ActionLineTranslation(TranslationOptions):
    fields = ("title",)


@register(PlanMeasure)
class PlanMeasureTranslation(TranslationOptions):
    fields = ("title",)


@register(Deliverable)
class DeliverableTranslation(TranslationOptions):
    fields = ("title",)


@register(DeliverableStatus)
class DeliverableStatusTranslation(TranslationOptions):
    fields = ("note",)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title",)


@register(CallForProjects)
class CallForProjectsTranslation(TranslationOptions):
    fields = ("title",)


@register(PilotProject)
class PilotProjectTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(LearningActivity)
class LearningActivityTranslation(TranslationOptions):
    fields = ("title",)


@register(Publication)
class PublicationTranslation(TranslationOptions):
    fields = ("title",)


@register(PolicyStatement)
class PolicyStatementTranslation(TranslationOptions):
    fields = ("title",)
