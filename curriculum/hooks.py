"""Hooks that higher apps register so curriculum can show what it cannot know itself.

``training`` knows who completed which module version; curriculum may not import it. Training registers
a provider in its ``AppConfig.ready()``::

    from curriculum.hooks import register_trained_provider

    @register_trained_provider
    def trained_on_versions(*, versions):
        ...  # yield curriculum.hooks.TrainedPerson(...) for each person who completed one of ``versions``

When a new version is approved, ``curriculum.selectors.refresher_candidates`` asks every provider for the
people trained on older approved versions (and leaves out those already trained on the new one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TrainedPerson:
    """One person who completed a training built on a module version."""

    person_id: int
    name: str
    version_id: int
    agency: str = ""
    completed_at: dt.datetime | None = None
    source: str = ""  # e.g. the event (angkatan) name


TrainedProvider = Callable[..., Iterable[TrainedPerson]]
_trained_providers: dict[str, TrainedProvider] = {}


def register_trained_provider(provider: TrainedProvider) -> TrainedProvider:
    """Register ``provider(*, versions) -> Iterable[TrainedPerson]``; registering twice keeps one."""
    _trained_providers[f"{provider.__module__}.{provider.__qualname__}"] = provider
    return provider


def unregister_trained_provider(provider: TrainedProvider) -> None:
    _trained_providers.pop(f"{provider.__module__}.{provider.__qualname__}", None)


def trained_providers() -> list[TrainedProvider]:
    return list(_trained_providers.values())


def trained_on(*, versions) -> list[TrainedPerson]:
    """Everyone any provider reports as trained on one of ``versions``."""
    versions = list(versions)
    if not versions:
        return []
    people: list[TrainedPerson] = []
    for provider in trained_providers():
        people.extend(provider(versions=versions))
    return people
