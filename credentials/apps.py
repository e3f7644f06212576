from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "Sertifikat dan kredensial"

    def ready(self) -> None:
        from credentials.services import issue_on_completion
        from training.hooks import on_completion

        on_completion(issue_on_completion)
