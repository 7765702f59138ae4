"""Every page speaks the visitor's language: each admin index, list, add form and
change form (as a superuser), each page of "My city" (as a city editor) and the
public pages (anonymously) are rendered in Spanish, French and Simplified
Chinese, and their visible text is read back.

Two faults are looked for:

(a) *rendered untranslated*: a text node that is, verbatim, an English source
    string of the project's catalogs which the active language's catalog
    translates to something else (a ``gettext`` run at import time instead of
    ``gettext_lazy``, a string computed before the language was activated);
(b) *never marked*: a text node made of English words that is in no catalog at
    all (a model name, a field label, a choice, a column, a filter title, an
    action, a help text, a message written without ``_()``).

A text node is accepted for (b) when it is a translation of the active
language (Django's, the third-party apps' and the project's catalogs, with
their placeholders), when it is an English source string of the project's
catalogs that has no translation yet (it is marked; the catalog is filled when
the catalogs are regenerated, and then (a) holds it), or when what is left
after removing the data this test created and the short allowlist below has no
English word. "English words" are the words of the English source strings of
every catalog loaded (Django's included) that are not also words of the active
language's translations ("Total", "Code" or "Date" are French too).
"""

import re
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import get_language_info, trans_real

from tests.activities.test_admin_pages import RECORDS as ACTIVITY_RECORDS
from tests.gender import factories as gender
from tests.members.factories import (
    CityEditorFactory,
    StaffFactory,
    one_of_each_member_record,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ("es", "fr", "zh-hans")
APPS = ("metropolis", "members", "activities", "gender", "reports")

# Proper nouns of the domain and names that are the same in every language
# (organisations, products, standards, units). Each is kept because a page shows
# it as a name, never as a sentence to translate.
PROPER_NOUNS = {
    "Metropolis",
    "UCLG",
    "UN-Habitat",
    "SDG",
    "SDGs",
    "ODS",
    "ICS",
    "iCal",
    "CSV",
    "XLSX",
    "JSON",
    "PDF",
    "API",
    "URL",
    "ID",
    "UTC",
    "EUR",
    "USD",
    "Django",
    "OpenAPI",
    "Swagger",
    "ReDoc",
    "OpenStreetMap",
    "Leaflet",
}

# Tags whose text nobody reads; attributes that people do read.
INVISIBLE = {"script", "style", "template", "noscript"}
READ_ATTRIBUTES = {"title", "placeholder", "aria-label"}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}

WORD = re.compile(r"[A-Za-z][A-Za-z']+")
PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[a-z_0-9]*\}")


class VisibleText(HTMLParser):
    """The text nodes a person reads: element text outside scripts and styles,
    the title, placeholder and aria-label attributes, and <option> text (an
    element's text like any other)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.nodes.append(value)
        if tag in INVISIBLE:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in INVISIBLE and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.nodes.append(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return [text for text in (" ".join(node.split()) for node in parser.nodes) if text]


# --- The catalogs ---------------------------------------------------------------------------


def _project_entries(language: str) -> Iterator[polib.POEntry]:
    folder = translation.to_locale(language)
    for app in APPS:
        catalog = Path(settings.BASE_DIR) / app / "locale" / folder / "LC_MESSAGES" / "django.po"
        yield from (entry for entry in polib.pofile(str(catalog)) if not entry.obsolete)


def _other_sources() -> set[str]:
    """The English source strings of Django and of the third-party apps, translated
    or not in the active language: they are not the project's to mark. Msgids
    are the same in every language's catalog; one catalog per locale folder is read."""
    folders = [Path(django.__file__).parent / "conf" / "locale"]
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in APPS:
            folders.append(Path(config.path) / "locale")
    sources: set[str] = set()
    for folder in folders:
        catalogs = sorted(folder.glob("*/LC_MESSAGES/django*.po"), key=lambda p: p.parts[-3] != "en")
        seen_domains: set[str] = set()
        for catalog in catalogs:
            if catalog.name in seen_domains:
                continue
            seen_domains.add(catalog.name)
            for entry in polib.pofile(str(catalog)):
                sources.add(" ".join(entry.msgid.split()))
                if entry.msgid_plural:
                    sources.add(" ".join(entry.msgid_plural.split()))
    return sources


OTHER_SOURCES = _other_sources()


def _pattern(text: str) -> re.Pattern[str]:
    """A message as a pattern over rendered text: each placeholder (``%(name)s``,
    ``%s``, ``%d``, ``{name}``) is a group that matches anything."""
    parts = PLACEHOLDER.split(" ".join(text.split()))
    return re.compile("(.+?)".join(re.escape(part) for part in parts), re.DOTALL)


def _words(text: str) -> set[str]:
    """The words of a message, not the names of its placeholders nor its markup."""
    text = re.sub(r"<[^>]*>|&\w+;", " ", PLACEHOLDER.sub(" ", text))
    return {word.lower() for word in WORD.findall(text)}


class Catalog:
    """What the language's catalogs say: every source string of the project with
    its translation (if any), and every translation loaded for the language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.project: dict[str, str] = {}
        for entry in _project_entries(language):
            msgstr = entry.msgstr or (entry.msgstr_plural or {}).get(0, "")
            if "fuzzy" in entry.flags:
                msgstr = ""
            self.project[" ".join(entry.msgid.split())] = " ".join(msgstr.split())
            if entry.msgid_plural:
                self.project.setdefault(" ".join(entry.msgid_plural.split()), "")
        loaded = trans_real.translation(language)._catalog
        self.translations: set[str] = set()
        english_words: set[str] = set()
        language_words: set[str] = set()
        sources: set[str] = set()
        for key, value in loaded.items():
            source = key[0] if isinstance(key, tuple) else key
            sources.add(" ".join(str(source).split()))
            self.translations.add(" ".join(str(value).split()))
            english_words |= _words(str(source))
            language_words |= _words(str(value))
        # Project strings without a translation yet are marked: they count as sources.
        sources |= set(self.project) | OTHER_SOURCES
        for source in self.project:
            english_words |= _words(source)
        self.english_words = english_words - language_words
        # Chinese is not written in Latin letters: there any Latin word left is English.
        self.latin_is_english = language.startswith("zh")
        self.language_words = language_words
        self.sources = sources
        # A message with placeholders accounts for a text only by its own words:
        # "%(count)s %(name)s" says nothing of what fills it.
        self.patterns = [
            _pattern(text)
            for text in self.translations | sources
            if PLACEHOLDER.search(text) and len(PLACEHOLDER.sub("", text).strip(" :.,;()-–—/")) >= 3
        ]

    def untranslated(self, node: str, allowed: set[str]) -> bool:
        """(a): a project source string shown as is, though the catalog translates it.
        A record's own value (a group's name) is shown as stored, whatever it says."""
        if node in allowed or node in self.translations or node.lower() in self.translations:
            return False  # also the right translation of another message ("Notes" in French)
        translated = self.project.get(node)
        if not translated or translated == node:
            return False
        return " " in node or len(node) > 4

    def accounted_for(self, node: str, allowed: set[str], depth: int = 0) -> bool:
        """A translation, a marked source string, or a message with placeholders
        whose filling is itself accounted for (data, numbers, other messages)."""
        # A form label is its message followed by a colon, capitalized or not.
        for text in (node, node.rstrip(":").strip(), node.rstrip(":").strip().lower()):
            if text in self.translations or text in self.sources:
                return True
        if depth > 1:
            return False
        for pattern in self.patterns:
            match = pattern.fullmatch(node)
            if match and not any(self.english(part.strip(), allowed, depth + 1) for part in match.groups()):
                return True
        return False

    def english(self, node: str, allowed: set[str], depth: int = 0) -> list[str]:
        """(b): the English words of a text node in no catalog, beside the data and proper nouns."""
        if not self._english_words(node) or self.accounted_for(node, allowed, depth):
            return []
        # snake_case codes (an indicator's key) are identifiers, not words, and
        # so is the code an indicator's name follows in a choice ("interns – …"),
        # the path of a stored file ("activities/pilot-project-reports/….pdf"), an
        # address (a link a city gave) and a masked password hash ("adf829*****").
        rest = re.sub(
            r"https?://\S+|\b\w+_\w+\b|^[a-z][a-z0-9_]* – |\S+/\S+\.[a-z0-9]{2,4}\b|\b\w+\*{4,}", " ", node
        )
        for name in sorted(allowed, key=len, reverse=True):
            if name in rest:
                rest = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", rest)
        return self._english_words(rest)

    def _english_words(self, text: str) -> list[str]:
        return [
            word
            for word in WORD.findall(text)
            if len(word) > 2
            and (
                word.lower() in self.english_words
                or (self.latin_is_english and word.lower() not in self.language_words)
            )
        ]


# --- The world ------------------------------------------------------------------------------


def _one_of_each() -> dict:
    """A row of (almost) every model the admin shows, a city editor of a member
    with records on its pages, and the texts the test itself wrote."""
    member = one_of_each_member_record(paid=Decimal("1234.50"))
    for make in ACTIVITY_RECORDS.values():
        make()
    for name in ("IndicatorFactory", "IndicatorValueFactory", "EditionFactory"):
        if hasattr(gender, name):
            getattr(gender, name)()
    editor = CityEditorFactory(member_city=member, language="en")
    return {"member": member, "editor": editor}


def _data_texts(language: str) -> set[str]:
    """Every text value of every row in the database: names, e-mails, titles,
    codes the factories made up. A page shows them as they are. And what is not
    the project's to translate: the names of the third-party apps' models (axes,
    django-otp: their own catalogs lack our languages) and the permissions,
    whose names Django stores in English when it migrates."""
    texts = set(PROPER_NOUNS)
    with translation.override(language):
        for config in apps.get_app_configs():
            if config.name.split(".")[0] in APPS:
                continue
            texts.add(str(config.verbose_name))
            for model in config.get_models():
                names = [model._meta.verbose_name, model._meta.verbose_name_plural]
                names += [field.verbose_name for field in model._meta.fields]
                texts |= {capfirst(str(name)) for name in names} | {str(name) for name in names}
        texts |= {str(permission) for permission in Permission.objects.select_related("content_type")}
    # The language menu names each language in that language ("English" in every language).
    texts |= {get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES}
    # The admin greets a user by their short name.
    for user in get_user_model().objects.all():
        texts |= {user.get_short_name(), user.get_full_name(), user.get_username()}
    for model in apps.get_models():
        text_fields = [
            field.attname
            for field in model._meta.concrete_fields
            if field.get_internal_type()
            in {"CharField", "TextField", "EmailField", "SlugField", "URLField", "FileField"}
        ]
        if not text_fields:
            continue
        for row in model._default_manager.values_list(*text_fields):
            for value in row:
                if value:
                    text = " ".join(str(value).split())
                    texts.add(text)
    return texts


# --- The pages ------------------------------------------------------------------------------


def _admin_urls(request) -> Iterator[str]:
    yield reverse("admin:index")
    app_labels = sorted({model._meta.app_label for model in admin.site._registry})
    for label in app_labels:
        yield reverse("admin:app_list", args=[label])
    for model in sorted(admin.site._registry, key=lambda m: (m._meta.app_label, m._meta.model_name)):
        app, name = model._meta.app_label, model._meta.model_name
        if apps.get_app_config(app).name.split(".")[0] not in APPS + ("django",):
            continue  # a third-party app's own pages (axes, django-otp): not the project's strings
        yield reverse(f"admin:{app}_{name}_changelist")
        if admin.site._registry[model].has_add_permission(request):
            yield reverse(f"admin:{app}_{name}_add")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield reverse(f"admin:{app}_{name}_change", args=[first.pk])


def _portal_urls() -> Iterator[str]:
    """Every page of "My city" that takes no argument, in the resolver's order."""
    resolver = get_resolver()
    for name in resolver.namespace_dict["portal"][1].reverse_dict:
        if not isinstance(name, str):
            continue
        try:
            yield reverse(f"portal:{name}")
        except NoReverseMatch:
            continue


PUBLIC_URLS = ("/", "/members/", "/events/", "/calls/")


def _read(
    client, url: str, catalog: Catalog, allowed: set[str], found: list[str], *, pages_only=False
) -> None:
    response = client.get(url, follow=True)
    is_page = response.status_code == 200 and "html" in response.get("Content-Type", "")
    if pages_only and not is_page and response.status_code in {200, 405}:
        return  # a download, or an address that only takes a POST
    if not is_page:
        found.append(f"{url}: answered {response.status_code} {response.get('Content-Type')}")
        return
    seen: set[str] = set()
    for node in visible_text(response.content.decode()):
        if node in seen:
            continue
        seen.add(node)
        if catalog.untranslated(node, allowed):
            found.append(f"{url}: (a) rendered untranslated: {node!r}")
            continue
        words = catalog.english(node, allowed)
        if words:
            found.append(f"{url}: (b) never marked for translation: {node!r} ({' '.join(words)})")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_speaks_the_language(client, language):
    world = _one_of_each()
    staff = StaffFactory(language=language)
    allowed = _data_texts(language)
    catalog = Catalog(language)
    found: list[str] = []

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in PUBLIC_URLS:
        _read(client, url, catalog, allowed, found)

    client.force_login(world["editor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in _portal_urls():
        _read(client, url, catalog, allowed, found, pages_only=True)
    _read(client, reverse("portal:engagement") + "?year=2021", catalog, allowed, found)

    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in _admin_urls(client.get(reverse("admin:index")).wsgi_request):
        _read(client, url, catalog, allowed, found)

    assert not found, f"{len(found)} texts in English in {language}:\n" + "\n".join(found)


def test_the_detection_tells_a_translation_from_english():
    catalog = Catalog("es")
    translated = next(
        source for source, text in catalog.project.items() if text and text != source and " " in source
    )
    assert catalog.untranslated(translated, set())
    assert not catalog.untranslated(catalog.project[translated], set())
    assert not catalog.untranslated(translated, {translated})  # a record's own value
    assert {"member", "invoices"} <= set(catalog.english("Outstanding member invoices overview", set()))
    assert Catalog("zh-hans").english("Outstanding dues", set()) == ["Outstanding", "dues"]
    assert catalog.english(catalog.project[translated], set()) == []
    assert catalog.english("Springfield Town Hall", {"Springfield Town Hall"}) == []
    # A record's value is removed as a whole, not as letters inside other words.
    assert "Invoices" in catalog.english("Invoices overdue today", {"in"})


@pytest.mark.parametrize(
    ("plural", "fault"),
    [
        ("member cities in arrears", "(b) never marked for translation"),
        # The English source string, as a gettext run at import time leaves it.
        ("member cities", "(a) rendered untranslated"),
    ],
)
def test_an_english_model_name_in_the_admin_is_found(client, monkeypatch, plural, fault):
    from members.models import MemberCity

    monkeypatch.setattr(MemberCity._meta, "verbose_name_plural", plural)
    client.force_login(StaffFactory())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    found: list[str] = []

    _read(client, reverse("admin:index"), Catalog("zh-hans"), _data_texts("zh-hans"), found)

    assert any(fault in line and plural.capitalize() in line for line in found), found
