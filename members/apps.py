from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        # History is registered here rather than declared on the models: the
        # translated fields (modeltranslation, registered in translation.py when
        # modeltranslation starts, before this app) must exist before the
        # historical models copy the fields.
        from simple_history import register

        from . import models

        for model in (
            models.Region,
            models.MemberCity,
            models.MembershipChange,
            models.HeadOfGovernment,
            models.Contact,
            models.BoardMandate,
            models.FeeSchedule,
            models.Invoice,
            models.Payment,
            models.Partner,
            models.Agreement,
        ):
            register(model, app=self.label)
        # The portal's rules (rules autodiscovers ``rules.py`` only).
        from . import permissions  # noqa: F401
