"""Translated fields of the gender app (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import InternalGenderTool, Programme, StaffMember


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name",)


@register(InternalGenderTool)
class InternalGenderToolTranslation(TranslationOptions):
    fields = ("title",)


@register(StaffMember)
class StaffMemberTranslation(TranslationOptions):
    fields = ("role",)
