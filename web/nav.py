"""Navigation by role. Each app lists its entries in its own ``nav.py`` as
``ITEMS = [NavItem(...)]``; the header shows those the user's role may use."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import module_has_submodule

from accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every logged-in user
    order: int = 100
    needs_person: bool = False  # shown only to users linked to a person record
    match_prefix: str = field(default="", compare=False)


@cache
def all_items() -> tuple[NavItem, ...]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        if config.name != "web" and module_has_submodule(config.module, "nav"):
            items.extend(import_module(f"{config.name}.nav").ITEMS)
    return tuple(sorted(items, key=lambda item: item.order))


def _ordered(user, items: tuple[NavItem, ...]) -> list[NavItem]:
    """A participant's own pages (my trainings, my hours, my certificates, …) come first."""
    if getattr(user, "role", None) == Role.PARTICIPANT and not user.is_superuser:
        return sorted(items, key=lambda item: (not item.needs_person, item.order))
    return list(items)


def nav_for(user, path: str = "") -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    entries = []
    for item in _ordered(user, all_items()):
        if item.roles is not None and not (user.is_superuser or user.role in item.roles):
            continue
        if item.needs_person and not user.person_id:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        prefix = item.match_prefix or url
        entries.append({"label": item.label, "url": url, "active": path.startswith(prefix) and prefix != "/"
                        or path == url})
    return entries
