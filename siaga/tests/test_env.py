"""Settings come from the environment through typed readers that fail loudly."""

from __future__ import annotations

import importlib
import re

import pytest
from django.conf import settings

from siaga.env import EnvError, env_bool, env_choice, env_int, env_list, env_str, parse_database_url


def test_env_str_uses_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("SIAGA_X", raising=False)
    assert env_str("SIAGA_X", "fallback") == "fallback"
    monkeypatch.setenv("SIAGA_X", "")
    assert env_str("SIAGA_X", "fallback") == "fallback"
    monkeypatch.setenv("SIAGA_X", "value")
    assert env_str("SIAGA_X", "fallback") == "value"


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("ON", True),
                                               ("0", False), ("false", False), ("no", False), ("off", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SIAGA_X", raw)
    assert env_bool("SIAGA_X", not expected) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("SIAGA_X", "maybe")
    with pytest.raises(EnvError, match="SIAGA_X='maybe' is not a boolean"):
        env_bool("SIAGA_X")


def test_env_int_reads_numbers_and_checks_the_minimum(monkeypatch):
    monkeypatch.delenv("SIAGA_X", raising=False)
    assert env_int("SIAGA_X", 7) == 7
    monkeypatch.setenv("SIAGA_X", "42")
    assert env_int("SIAGA_X", 7, minimum=1) == 42
    monkeypatch.setenv("SIAGA_X", "4x")
    with pytest.raises(EnvError, match="not a whole number"):
        env_int("SIAGA_X", 7)
    monkeypatch.setenv("SIAGA_X", "0")
    with pytest.raises(EnvError, match="below the minimum 1"):
        env_int("SIAGA_X", 7, minimum=1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("SIAGA_X", " a.example, b.example ,,")
    assert env_list("SIAGA_X") == ["a.example", "b.example"]
    monkeypatch.setenv("SIAGA_X", "  ")
    assert env_list("SIAGA_X", ["default"]) == ["default"]


def test_env_choice_accepts_only_the_listed_values(monkeypatch):
    monkeypatch.setenv("SIAGA_X", "INFO")
    assert env_choice("SIAGA_X", ("INFO", "DEBUG"), "DEBUG") == "INFO"
    monkeypatch.setenv("SIAGA_X", "LOUD")
    with pytest.raises(EnvError, match="must be one of INFO, DEBUG"):
        env_choice("SIAGA_X", ("INFO", "DEBUG"), "DEBUG")


def test_a_file_variable_is_read_instead_of_the_plain_one(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-the-file\n", encoding="utf-8")
    monkeypatch.setenv("SIAGA_X", "from-the-environment")
    monkeypatch.setenv("SIAGA_X_FILE", str(secret))
    assert env_str("SIAGA_X") == "from-the-file"
    (tmp_path / "port").write_text("8080", encoding="utf-8")
    monkeypatch.setenv("SIAGA_Y_FILE", str(tmp_path / "port"))
    assert env_int("SIAGA_Y", 1) == 8080


def test_an_unreadable_file_variable_fails_loudly(monkeypatch, tmp_path):
    monkeypatch.setenv("SIAGA_X_FILE", str(tmp_path / "missing"))
    with pytest.raises(EnvError, match="SIAGA_X_FILE=.* cannot be read"):
        env_str("SIAGA_X")


def test_database_urls_for_postgresql_and_sqlite():
    pg = parse_database_url("postgres://siaga:p%40ss@db.example:5433/siaga?sslmode=require")
    assert pg == {"ENGINE": "django.db.backends.postgresql", "NAME": "siaga", "USER": "siaga", "PASSWORD": "p@ss",
                  "HOST": "db.example", "PORT": "5433", "OPTIONS": {"sslmode": "require"}}
    lite = parse_database_url("sqlite:////var/lib/siaga/db.sqlite3")
    assert lite == {"ENGINE": "django.db.backends.sqlite3", "NAME": "/var/lib/siaga/db.sqlite3"}


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgres://u@h:5432/", "sqlite://"])
def test_bad_database_urls_fail_loudly(url):
    with pytest.raises(EnvError):
        parse_database_url(url)


def _variables_read_by_settings() -> set[str]:
    source = (settings.BASE_DIR / "siaga" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r"\benv_(?:str|bool|int|list|choice)\(\s*\"([A-Z0-9_]+)\"", source))


def test_env_example_documents_every_variable_that_settings_read():
    read = _variables_read_by_settings()
    assert {"SIAGA_SECRET_KEY", "DATABASE_URL", "SIAGA_DATA_DIR"} <= read
    lines = (settings.BASE_DIR / ".env.example").read_text(encoding="utf-8").splitlines()
    documented: set[str] = set()
    commented = False
    for line in lines:
        if line.startswith("#"):
            commented = True
        elif "=" in line:
            name = line.split("=", 1)[0].strip()
            assert commented, f"{name} in .env.example has no comment above it"
            documented.add(name)
        else:
            commented = False
    assert not read - documented, f"missing from .env.example: {sorted(read - documented)}"
    assert not documented - read, f".env.example names variables settings.py never reads: {sorted(documented - read)}"


def test_argon2_is_the_first_password_hasher_of_the_real_settings():
    real = importlib.import_module("siaga.settings")
    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    import siaga.settings as real

    monkeypatch.setenv("SIAGA_PRODUCTION", "true")
    monkeypatch.delenv("SIAGA_SECRET_KEY", raising=False)
    monkeypatch.delenv("SIAGA_SECRET_KEY_FILE", raising=False)
    try:
        with pytest.raises(RuntimeError, match="SIAGA_SECRET_KEY"):
            importlib.reload(real)
    finally:
        monkeypatch.undo()
        importlib.reload(real)
