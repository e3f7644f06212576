from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = "Kesiapsiagaan dan penugasan"

    def ready(self) -> None:
        from readiness.services import record_completion
        from training.hooks import on_completion

        on_completion(record_completion)

        from django.utils.translation import gettext_lazy as _

        from certification.record import register_record_section
        from readiness.integration import deployments_section, verified_credentials
        from readiness.qualifications import register_credential_checker

        register_credential_checker(verified_credentials)
        register_record_section("readiness.deployments", deployments_section, title=_("Penugasan"), order=60)
