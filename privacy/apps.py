from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data (UU 27/2022): the retention run and a person's data export. The highest layer:
    it reads every app's models and no app imports it."""

    name = "privacy"
    verbose_name = _("Data pribadi")
