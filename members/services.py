"""Writes of the members app. Every change to members' records goes through a
function here (``<entity>_<verb>``, keyword-only, atomic, validated)."""

from django.db import transaction

from .models import User


@transaction.atomic
def user_ensure_staff(*, email: str, password: str, full_name: str = "") -> User:
    """Create a superuser with ``email`` or reset its password and rights."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return User.objects.create_superuser(email=email, password=password, full_name=full_name)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
