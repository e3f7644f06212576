from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Sertifikasi profesi dan riwayat"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from people.links import register_person_link

        register_person_link(_("Riwayat dan kualifikasi"), "certification:record", order=10)

        from certification.record import register_record_section
        from certification.sections import jp_per_year, position_history, training_certificates

        register_record_section("hours.jp_per_year", jp_per_year, title=_("JP per tahun"), order=20)
        register_record_section("credentials.certificates", training_certificates,
                                title=_("Sertifikat pelatihan"), order=30)
        register_record_section("people.position_history", position_history, title=_("Riwayat jabatan"), order=50)
