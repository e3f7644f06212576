"""Normalising what people type: names with academic titles, phone numbers, search keys.

Shared by the registry forms, the API and the spreadsheet importer."""

from __future__ import annotations

import re
import unicodedata

# Academic and professional titles written before or after Indonesian names.
PREFIX_TITLES = {
    "dr", "drs", "dra", "ir", "prof", "h", "hj", "kh", "drg", "dr(hc)", "ns", "apt", "r", "rr",
}
SUFFIX_TITLE_RE = re.compile(
    r"^(s|m|d|sp|dr|ph\.?d|mph|ma|msc|mba|mm|mt|mh|mpd|mkes|msi|ssos|ssi|skom|se|sh|spd|st|sip|"
    r"skm|skep|sst|amd|a\.?md|bsc|ba|kons|psi|ners|spsi|mpsi|mps\.?sp|ak|ca|cpa)[\w.()]*$",
    re.IGNORECASE,
)

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)


def collapse_spaces(value: str) -> str:
    return _SPACES.sub(" ", value or "").strip()


def split_name_titles(raw: str) -> tuple[str, str, str]:
    """``"Dra. Siti Aminah, M.Si."`` → ``("Dra.", "Siti Aminah", "M.Si.")``."""
    text = collapse_spaces(raw)
    if not text:
        return "", "", ""
    head, *tails = [part.strip() for part in text.split(",")]
    suffixes = [t for t in tails if t]
    words = head.split(" ")
    prefixes: list[str] = []
    while len(words) > 1 and words[0].rstrip(".").lower() in PREFIX_TITLES:
        prefixes.append(words.pop(0))
    # A suffix title may also follow the name without a comma ("Budi S.Sos").
    while len(words) > 1 and "." in words[-1] and SUFFIX_TITLE_RE.match(words[-1].replace(".", "")):
        suffixes.insert(0, words.pop())
    name = " ".join(words)
    if name.isupper() or name.islower():
        name = smart_title(name)
    return " ".join(prefixes), name, ", ".join(suffixes)


def smart_title(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() if w else w for w in name.split(" "))


def sort_key(name: str) -> str:
    """Lower-case, accents and punctuation removed: the key for ordering and prefix search."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text.lower())
    return collapse_spaces(text)[:150]


def name_tokens(name: str) -> list[str]:
    """The distinct words of a name, for :class:`people.models.PersonSearchToken`."""
    seen: list[str] = []
    for word in sort_key(name).split(" "):
        word = word[:40]
        if word and word not in seen:
            seen.append(word)
    return seen


class PhoneError(ValueError):
    pass


def normalize_phone(raw: str | int | None) -> str:
    """``0812-3456-7890``, ``812 3456 7890``, ``+62 812…``, ``62812…`` → ``+6281234567890``."""
    if raw is None:
        return ""
    text = str(raw).strip()
    if not text:
        return ""
    if text.endswith(".0"):  # a number Excel stored as a float
        text = text[:-2]
    digits = re.sub(r"[^\d+]", "", text)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("62"):
            raise PhoneError("foreign")
    elif digits.startswith("62"):
        pass
    elif digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    else:
        raise PhoneError("prefix")
    if not digits.isdigit() or not (10 <= len(digits) <= 15):
        raise PhoneError("length")
    return "+" + digits
