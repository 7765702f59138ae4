"""Translated fields of the members app (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import MemberCity, Partner, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(MemberCity)
class MemberCityTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("name",)
