from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = "Kesiapsiagaan dan penugasan"

    def ready(self) -> None:
        from readiness.services import record_completion
        from training.hooks import on_completion

        on_completion(record_completion)
