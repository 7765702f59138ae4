"""Translated fields of the reports app (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import ReportText


@register(ReportText)
class ReportTextTranslation(TranslationOptions):
    fields = ("title", "body")
