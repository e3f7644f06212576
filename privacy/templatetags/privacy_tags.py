"""``{% load privacy_tags %}{% if user|may_export_data:person %}``: shows the data-export link on the
record page (``certification/record.html``) only to those the export view lets in."""

from django import template

from privacy.access import can_export_person_data

register = template.Library()


@register.filter
def may_export_data(user, person) -> bool:
    return can_export_person_data(user, person)
