from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Sertifikasi profesi dan riwayat"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from people.links import register_person_link

        register_person_link(_("Riwayat dan kualifikasi"), "certification:record", order=10)
