from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Program dan angkatan pelatihan"

    def ready(self) -> None:
        from curriculum.hooks import register_trained_provider
        from training.refreshers import trained_on_versions

        register_trained_provider(trained_on_versions)
