"""Every named URL pattern of the project, for the URL×role walk test."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

EXCLUDED_NAMESPACES = {"admin"}  # Django admin: staff only, guarded by Django itself.


def named_patterns() -> list[str]:
    names: list[str] = []

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace
                if ns in EXCLUDED_NAMESPACES:
                    continue
                walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                names.append(f"{namespace}{entry.name}")

    walk(get_resolver().url_patterns, "")
    return sorted(set(names))
