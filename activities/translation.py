"""Translated fields of the activities app (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    ActionLine,
    ActionPlan,
    Call,
    CallQuestion,
    ConsentText,
    Deliverable,
    DeliverableStatus,
    Event,
    EventSession,
    LearningActivity,
    PilotProject,
    PlanMeasure,
    PolicyStatement,
    Publication,
    RubricCriterion,
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
    fields = ("title", "summary")


@register(EventSession)
class EventSessionTranslation(TranslationOptions):
    fields = ("title",)


@register(ConsentText)
class ConsentTextTranslation(TranslationOptions):
    fields = ("text",)


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


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "description")


@register(CallQuestion)
class CallQuestionTranslation(TranslationOptions):
    fields = ("text", "help_text")


@register(RubricCriterion)
class RubricCriterionTranslation(TranslationOptions):
    fields = ("name", "description")
