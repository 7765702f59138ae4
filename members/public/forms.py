"""The directory's filters (a GET form: an unknown value is an error of its
field, and the list is shown unfiltered by it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import MemberKind
from members.selectors.directory import directory_countries, directory_regions


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search a name"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Region"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["region"].choices = everyone + [(r.code, r.name) for r in directory_regions()]
        self.fields["country"].choices = everyone + directory_countries()
        self.fields["kind"].choices = everyone + list(MemberKind.choices)

    def filters(self) -> dict[str, str]:
        """The valid filters (an invalid one is left out, and shown as an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "search": cleaned.get("q", "") or "",
            "region": cleaned.get("region", "") or "",
            "country": cleaned.get("country", "") or "",
            "kind": cleaned.get("kind", "") or "",
        }
