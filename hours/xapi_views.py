"""``POST /xapi/statements``: a plain view with its own HTTP Basic auth per platform."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hours.xapi import XapiError, platform_from_basic, statements_receive

VERSION_HEADER = "X-Experience-API-Version"


def _error(exc: XapiError) -> JsonResponse:
    response = JsonResponse(exc.as_json(), status=exc.status)
    response[VERSION_HEADER] = "1.0.3"
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Basic realm="Siaga xAPI"'
    return response


@csrf_exempt
@login_not_required
@require_POST
def statements(request):
    platform = platform_from_basic(request.headers.get("Authorization", ""))
    if platform is None:
        return _error(XapiError("HTTP Basic credentials of a registered learning platform are required",
                                status=401))
    version = request.headers.get(VERSION_HEADER, "")
    if not version.startswith("1.0"):
        return _error(XapiError(f"{VERSION_HEADER} header 1.0.x is required"))
    try:
        payload = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(XapiError("body is not JSON"))
    try:
        ids = statements_receive(platform=platform, payload=payload)
    except XapiError as exc:
        return _error(exc)
    response = JsonResponse(ids, safe=False, status=200)
    response[VERSION_HEADER] = "1.0.3"
    return response
