"""The tokens of the links the portal sends to a person's address: Django's
password-reset token, with its own salt and lifetime per kind of link.

- An invitation (a city's focal point, a juror): the hash covers the password
  and the active flag. Accepting an invitation sets a password and activates
  the account, so the link works once. A new invitation to the same person
  resets the (unusable) password, so an earlier link stops working too.
- An e-mail verification (a person who signed up to apply to a call): the hash
  also covers the moment the address was verified, so the link works once.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "members.tokens.InvitationTokenGenerator"
    # The setting that says how long a link works, in seconds.
    timeout_setting = "PORTAL_INVITATION_TIMEOUT"

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    @property
    def timeout(self) -> int:
        return int(getattr(settings, self.timeout_setting))

    def check_token(self, user, token: str | None) -> bool:
        # The parent's check, with this kind of link's lifetime instead of the
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
        return (self._num_seconds(self._now()) - timestamp) <= self.timeout


class EmailVerificationTokenGenerator(InvitationTokenGenerator):
    key_salt = "members.tokens.EmailVerificationTokenGenerator"
    timeout_setting = "EMAIL_VERIFICATION_TIMEOUT"

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.email_verified_at}"


invitation_token_generator = InvitationTokenGenerator()
email_verification_token_generator = EmailVerificationTokenGenerator()
