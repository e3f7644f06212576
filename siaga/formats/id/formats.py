"""Indonesian date formats with the month written out ("7 September 2020"), as letters and
certificates write them; Django's own ``id`` formats abbreviate it ("7 Sep. 2020").
Everything not set here (input formats, separators) comes from Django's ``id`` locale."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
TIME_FORMAT = "H.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
