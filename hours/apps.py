from django.apps import AppConfig


class HoursConfig(AppConfig):
    name = "hours"
    verbose_name = "Buku JP (20 JP)"

    def ready(self) -> None:
        from hours.handlers import ledger_entry_on_completion
        from training.hooks import on_completion

        on_completion(ledger_entry_on_completion)
