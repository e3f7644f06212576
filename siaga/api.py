"""The JSON API: ``/api/v1/...``, OpenAPI document at ``/api/openapi.json``, docs at ``/api/docs``.

Each app owns a router in its ``api.py``; they are mounted here in one place."""

from __future__ import annotations

from importlib import import_module

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from accounts.api_auth import api_auth

api = NinjaAPI(
    title="Siaga API",
    version="1",
    description="API Siaga: registri SDM Kesos, modul, pelatihan, sertifikat, JP dan kesiapsiagaan.",
    urls_namespace="api",
    docs_url="/docs",
    auth=api_auth,
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("Anda tidak berhak melakukan ini.")}, status=403)


def _out_of_range(request, exc):
    return api.create_response(
        request, {"detail": _("Angka di luar jangkauan yang dapat disimpan."), "errors": {"__all__": [str(exc)]}},
        status=422,
    )


# A number too large for the database (SQLite raises OverflowError, PostgreSQL a DataError).
api.add_exception_handler(OverflowError, _out_of_range)
api.add_exception_handler(DataError, _out_of_range)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": _("Data tidak valid."), "errors": errors}, status=422)


#: (URL prefix, app) of every router; an app without ``api.py`` yet is skipped.
ROUTERS = [
    ("/v1/accounts", "accounts"),
    ("/v1/reference", "people.api_reference"),
    ("/v1/people", "people"),
    ("/v1/imports", "imports"),
    ("/v1/curriculum", "curriculum"),
    ("/v1/training", "training"),
    ("/v1/certificates", "credentials"),
    ("/v1/hours", "hours"),
    ("/v1/certification", "certification"),
    ("/v1/readiness", "readiness"),
    ("/v1/privacy", "privacy"),
]

for prefix, module_name in ROUTERS:
    module_path = module_name if "." in module_name else f"{module_name}.api"
    try:
        module = import_module(module_path)
    except ModuleNotFoundError as exc:
        if exc.name != module_path:
            raise
        continue
    api.add_router(prefix, module.router)
