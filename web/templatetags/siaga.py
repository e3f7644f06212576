from django import template

from people.identity import mask_identity

register = template.Library()


@register.filter
def identity(number: str | None, full: bool = False) -> str:
    """NIP/NIK in full for roles that may see it, masked otherwise."""
    if not number:
        return ""
    return number if full else mask_identity(number)


@register.filter
def jp(minutes) -> str:
    """Minutes as JP (1 JP = 45 minutes), with an Indonesian decimal comma."""
    if minutes in (None, ""):
        return ""
    value = round(float(minutes) / 45, 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@register.filter
def percent(value, digits: int = 0) -> str:
    if value in (None, ""):
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}".replace(".", ",") + " %"
