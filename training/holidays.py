"""Indonesian public holidays (libur nasional, cuti bersama) from the lokal-id package."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


def holiday_warnings(start: dt.date, end: dt.date) -> list[str]:
    """One warning per public holiday between ``start`` and ``end``; a year without official
    data gets a warning saying so (never an error: the dates are the organiser's call)."""
    import lokal  # imported on use: loading its data is slow and only event pages need it

    warnings: list[str] = []
    for year in range(start.year, end.year + 1):
        try:
            holidays = lokal.get_holidays(year).holidays
        except ValueError:
            warnings.append(_("Data hari libur tahun %(year)s belum tersedia; periksa kalender libur nasional "
                              "sendiri.") % {"year": year})
            continue
        for holiday in holidays:
            day = dt.date.fromisoformat(holiday.date)
            if start <= day <= end:
                warnings.append(_("%(date)s adalah hari libur: %(name)s.")
                                % {"date": day.strftime("%d-%m-%Y"), "name": holiday.name})
    return warnings
