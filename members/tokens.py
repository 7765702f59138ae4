"""The token of a portal invitation link: Django's password-reset token, with its
own salt and lifetime.

The hash covers the password and the active flag: accepting an invitation sets a
password and activates the account, so the link works once. A new invitation
to the same person resets the (unusable) password, so an earlier link stops
working too.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "members.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def check_token(self, user, token: str | None) -> bool:
        # The parent's check, with PORTAL_INVITATION_TIMEOUT instead of the
        # password reset's PASSWORD_RESET_TIMEOUT (the parent has no hook for it).
        if not (user and token):
            return False
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - timestamp) <= settings.PORTAL_INVITATION_TIMEOUT


invitation_token_generator = InvitationTokenGenerator()
