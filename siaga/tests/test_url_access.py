"""One walk over every named URL: who may reach it and who may not.

Each app declares its rules in ``<app>/url_rules.py`` (``RULES = [Rule(...)]``).
A URL pattern without a rule fails this test, so no page can be added unguarded."""

from __future__ import annotations

import json
from importlib import import_module

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import module_has_submodule

from accounts.roles import ALL_ROLES
from siaga.testing import Cast, Rule
from siaga.urlwalk import named_patterns


def all_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for config in apps.get_app_configs():
        if config.name.startswith("django") or not module_has_submodule(config.module, "url_rules"):
            continue
        for rule in import_module(f"{config.name}.url_rules").RULES:
            assert rule.name not in rules, f"two rules for {rule.name}"
            rules[rule.name] = rule
    return rules


RULES = all_rules()


def test_every_url_pattern_has_an_access_rule():
    missing = [name for name in named_patterns() if name not in RULES]
    assert not missing, f"URL patterns without a rule in <app>/url_rules.py: {missing}"
    stale = [name for name in RULES if name not in named_patterns()]
    assert not stale, f"rules for URL names that no longer exist: {stale}"


def _send(client: Client, rule: Rule, url: str, data: dict):
    if rule.method == "post":
        if rule.name.startswith("api:"):
            return client.post(url, data=json.dumps(data), content_type="application/json")
        return client.post(url, data=data)
    if rule.method == "put":
        return client.put(url, data=json.dumps(data), content_type="application/json")
    return client.get(url, data=data)


def _request(client: Client, rule: Rule, cast: Cast):
    url = reverse(rule.name, kwargs=rule.kwargs(cast) if rule.kwargs else None) + rule.query
    return _send(client, rule, url, rule.data(cast) if rule.data else {})


@pytest.mark.parametrize("name", sorted(RULES))
def test_anonymous_visitors(name, cast):
    rule = RULES[name]
    response = _request(Client(), rule, cast)
    if rule.public:
        assert response.status_code in rule.ok, (name, response.status_code)
    elif name.startswith("api:"):
        assert response.status_code == 401, (name, response.status_code)
    else:
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"], (name, response.status_code)


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_role(name, cast):
    """Every role in turn, each request inside a savepoint that is rolled back, so one role's
    change does not affect the next; one test per URL keeps the shared cast built once."""
    rule = RULES[name]
    users = {role: cast.user(role) for role in sorted(ALL_ROLES)}
    url = reverse(rule.name, kwargs=rule.kwargs(cast) if rule.kwargs else None) + rule.query
    data = rule.data(cast) if rule.data else {}
    wrong = []
    for role, user in users.items():
        with transaction.atomic():
            client = Client()
            client.force_login(user)
            response = _send(client, rule, url, data)
            transaction.set_rollback(True)
        allowed = rule.public or role in rule.allowed
        if allowed and response.status_code not in rule.ok:
            wrong.append(f"{role}: expected {rule.ok}, got {response.status_code}")
        if not allowed and response.status_code not in (403, 404):
            wrong.append(f"{role}: expected 403/404, got {response.status_code}")
    assert not wrong, f"{name}: " + "; ".join(wrong)
