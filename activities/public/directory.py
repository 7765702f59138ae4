"""The page of a member city in the public directory. It shows the member
(members app) and its public engagement (this app), so it lives here, in the
higher of the two apps it reads; the directory's list and map are the members
app's (members/public/)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from activities.selectors.public_engagement import public_engagement
from members.public.map import members_map
from members.selectors.directory import directory_member


@require_GET
def city(request: HttpRequest, slug: str) -> HttpResponse:
    member = directory_member(slug=slug)
    if member is None:
        raise Http404
    located = member.latitude is not None and member.longitude is not None
    context = {
        "member": member,
        "engagement": public_engagement(member=member),
        "map": members_map([(member.name, member.latitude, member.longitude, "")], zoom=True)
        if located
        else None,
    }
    return render(request, "activities/public/city.html", context)
