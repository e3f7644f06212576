from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Program dan angkatan pelatihan"

    def ready(self) -> None:
        from curriculum.hooks import register_trained_provider
        from ops.worker_hooks import on_worker_start
        from training.refreshers import trained_on_versions
        from training.status_mail import sweep_if_pending

        register_trained_provider(trained_on_versions)
        on_worker_start(sweep_if_pending)
