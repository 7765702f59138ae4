"""Partners and agreements in the admin."""

from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationAdmin

from members.admin.common import SimpleHistoryAdmin, search_through
from members.models import (
    Agreement,
    Partner,
)


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin, TranslationAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "category", "member", "active_from", "active_until"]
    list_select_related = ["member"]
    list_filter = ["category"]
    search_fields = ["name_en", "name_es", "name_fr", "name_zh_hans"]
    fields = ["name", "category", "member", "website", "active_from", "active_until"]
    autocomplete_fields = ["member"]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "member", "partner", "signed_on", "gender_clause"]
    list_select_related = ["member", "partner"]
    list_filter = ["kind", "gender_clause"]
    search_fields = ["title", *search_through("member"), "partner__name_en"]
    fields = ["title", "kind", "member", "partner", "signed_on", "gender_clause"]
    autocomplete_fields = ["member", "partner"]
