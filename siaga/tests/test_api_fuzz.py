"""Schemathesis against the OpenAPI document, authenticated as several roles (issue 10, point 7):
a bounded number of generated requests per operation; no server error, and every documented
response matches its schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.roles import Role
from accounts.services import token_create
from siaga.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the WSGI app, not Django's test client: stop Django closing the test
    transaction's connection at the end of each request, as the test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)

ROLES = (Role.CENTRE_ADMIN, Role.AGENCY_ADMIN, Role.PARTICIPANT, Role.AUDITOR)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_api_operations_never_fail_and_match_their_schema(case, cast):
    for role in ROLES:
        user = cast.user(role)
        token = getattr(user, "_fuzz_token", None)
        if token is None:
            _obj, token = token_create(by=user, name="fuzz", scope="write")
            user._fuzz_token = token
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                               checks=[not_a_server_error, response_schema_conformance])
