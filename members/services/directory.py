"""What the public directory shows that the secretariat keeps up to date
outside the profile: where each member is on the map."""

from decimal import Decimal

from django.db import transaction

from members.models import MemberCity


@transaction.atomic
def member_locate(*, member: MemberCity, latitude: Decimal, longitude: Decimal) -> MemberCity:
    """Set the coordinates the public map places ``member`` at (validated: -90..90, -180..180)."""
    member = MemberCity.objects.select_for_update().get(pk=member.pk)
    member.latitude, member.longitude = latitude, longitude
    member.full_clean()
    member.save(update_fields=["latitude", "longitude", "updated_at"])
    return member
