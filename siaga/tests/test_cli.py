"""The ``siaga`` console command wraps Django's management commands."""

from __future__ import annotations

import django.core.management

from siaga import cli


def test_without_arguments_it_prints_its_own_help(capsys):
    cli.main([])
    out = capsys.readouterr().out
    assert "siaga demo [--people N]" in out and "siaga serve" in out


def test_help_lists_the_management_commands(capsys):
    cli.main(["help"])
    out = capsys.readouterr().out
    assert "Type 'siaga help <subcommand>'" in out
    for command in ("demo", "migrate", "runserver", "db_worker", "worker"):
        assert command in out


def test_aliases_map_to_django_commands(monkeypatch):
    calls = []
    monkeypatch.setattr(django.core.management, "execute_from_command_line", calls.append)
    cli.main(["serve", "0.0.0.0:8001"])
    cli.main(["worker"])
    cli.main(["demo", "--people", "10"])
    assert calls == [["siaga", "runserver", "0.0.0.0:8001"], ["siaga", "worker"],
                     ["siaga", "demo", "--people", "10"]]
