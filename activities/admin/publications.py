"""Publications, mentions and policy statements in the admin."""

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from activities.admin.common import (
    ActionLineListFilter,
    RecordWithRowsAdmin,
    ServiceSavedAdmin,
    YearListFilter,
)
from activities.models import (
    PolicyStatement,
    Publication,
    PublicationLanguage,
    PublicationMention,
)
from activities.services.publications import policy_statement_save, publication_mention_save, publication_save


class PublicationForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages available"),
        choices=PublicationLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Declared here because the form is built before the admin's overrides apply.
    url = forms.URLField(label=_("URL"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Publication
        fields = [
            "slug",
            "title",
            "kind",
            "year",
            "published_on",
            "languages",
            "gender_perspective",
            "contributing_members",
            "file",
            "url",
            "action_line",
            "sdg_goals",
            "sdg_targets",
        ]


class PublicationMentionInline(admin.TabularInline):
    model = PublicationMention
    # The year is the publication's: set by the page, not typed.
    fields = ["member", "note"]
    extra = 1


@admin.register(Publication)
class PublicationAdmin(RecordWithRowsAdmin, TranslationAdmin):
    form = PublicationForm
    list_display = ["title", "kind", "year", "published_on", "gender_perspective", "action_line"]
    list_filter = [
        YearListFilter,
        "kind",
        "gender_perspective",
        ActionLineListFilter,
    ]
    list_select_related = ["action_line__plan"]
    search_fields = ["slug", "title"]
    fields = tuple(PublicationForm.Meta.fields)
    filter_horizontal = ["contributing_members", "sdg_goals", "sdg_targets"]
    inlines = [PublicationMentionInline]

    rows_take_year = True

    def save_record(self, publication: Publication, **related: Any) -> object:
        return publication_save(publication=publication, **related)

    def save_row(self, publication: Publication, mention: PublicationMention) -> object:
        return publication_mention_save(mention=mention)


@admin.register(PublicationMention)
class PublicationMentionAdmin(ServiceSavedAdmin):
    list_display = ["member", "year", "publication", "note"]
    list_filter = [YearListFilter]
    list_select_related = ["member", "publication"]
    search_fields = ["member__name", "publication__title"]
    fields = ["member", "year", "publication", "note"]
    autocomplete_fields = ["publication"]

    def save_with_service(self, request, form, formsets):
        publication_mention_save(mention=form.instance)


@admin.register(PolicyStatement)
class PolicyStatementAdmin(ServiceSavedAdmin, TranslationAdmin):
    list_display = ["title", "year", "issued_on", "gender_perspective", "action_line"]
    list_filter = [YearListFilter, "gender_perspective", ActionLineListFilter]
    list_select_related = ["action_line__plan"]
    search_fields = ["slug", "title"]
    fields = [
        "slug",
        "title",
        "year",
        "issued_on",
        "gender_perspective",
        "supporting_members",
        "url",
        "action_line",
    ]
    filter_horizontal = ["supporting_members"]

    def save_with_service(self, request, form, formsets):
        policy_statement_save(
            statement=form.instance, supporting_members=form.cleaned_data["supporting_members"]
        )
