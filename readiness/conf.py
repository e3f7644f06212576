"""Readiness settings, read from Django settings with defaults (see docs/decisions/0006-roster-matching.md).

Each can be set in ``siaga/settings.py`` (the integrator maps them to ``SIAGA_READINESS_*`` variables)."""

from __future__ import annotations

from django.conf import settings

#: Service → competency codes that qualify for it (used by the dashboard and as request defaults);
#: the codes are curriculum's seeded competency framework (curriculum/migrations/0003).
DEFAULT_SERVICE_COMPETENCIES: dict[str, list[str]] = {
    "public_kitchen": ["dapur-umum"],
    "shelter": ["shelter"],
    "logistics": ["logistik-bencana"],
    "rapid_assessment": ["kaji-cepat"],
    "victim_data": ["data-korban"],
    "psychosocial_support": ["ldp"],
    "protection": ["perlindungan-rentan"],
}


def _int(name: str, default: int, minimum: int = 0) -> int:
    value = getattr(settings, name, default)
    if not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, not {value!r}")
    return value


def rest_days() -> int:
    """Days of rest after a deployment ends before the person may be called again."""
    return _int("READINESS_REST_DAYS", 14)


def module_version_max_age_months() -> int:
    """Default age (months) within which an older approved module version still qualifies."""
    return _int("READINESS_MODULE_VERSION_MAX_AGE_MONTHS", 24)


def reply_link_hours() -> int:
    return _int("READINESS_REPLY_LINK_HOURS", 72, minimum=1)


def gap_min_qualified() -> int:
    """A province with fewer qualified, available LDP workers than this is a gap."""
    return _int("READINESS_GAP_MIN_QUALIFIED", 10)


def distance_band_km() -> int:
    """People within the same band of distance are ranked by fairness first."""
    return _int("READINESS_DISTANCE_BAND_KM", 100, minimum=1)


def message_sender_path() -> str:
    return getattr(settings, "READINESS_MESSAGE_SENDER", "readiness.senders.ConsoleSender")


def service_competencies() -> dict[str, list[str]]:
    return getattr(settings, "READINESS_SERVICE_COMPETENCIES", DEFAULT_SERVICE_COMPETENCIES)


def gap_service() -> str:
    return getattr(settings, "READINESS_GAP_SERVICE", "psychosocial_support")
