"""Links from a person's page to what higher apps hold on them (record, hours, certificates).

A higher app calls ``register_person_link(label, url_name)`` in its ``AppConfig.ready()``;
the URL pattern takes the person's id as ``person_id``. People never imports those apps."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class PersonLink:
    label: str
    url_name: str
    order: int = 100


_links: dict[str, PersonLink] = {}


def register_person_link(label, url_name: str, *, order: int = 100) -> None:
    _links[url_name] = PersonLink(label=label, url_name=url_name, order=order)


def links_for(person) -> list[dict]:
    out = []
    for link in sorted(_links.values(), key=lambda item: item.order):
        try:
            out.append({"label": link.label, "url": reverse(link.url_name, kwargs={"person_id": person.pk})})
        except NoReverseMatch:
            continue
    return out
