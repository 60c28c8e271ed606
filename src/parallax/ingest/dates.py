"""Publication dates: whatever a page, feed or JSON record says, normalised to ISO 8601."""

from __future__ import annotations

from datetime import datetime

from dateutil import parser as dateparser


def parse_date(value: str) -> datetime | None:
    """Parse a date string ("2024-03-02", "Sat, 02 Mar 2024 12:00:00 GMT", ...) or return None."""
    if not value or not value.strip():
        return None
    try:
        return dateparser.parse(value.strip())
    except (ValueError, OverflowError, TypeError):
        return None


def normalise_date(value: str) -> str:
    """ISO 8601 form of a date string: a bare date stays a date; unparseable input is kept as is
    (never silently dropped, so the user can see what the source said)."""
    d = parse_date(value)
    if d is None:
        return value.strip() if value else ""
    if len(value.strip()) <= 10 and d.hour == d.minute == d.second == 0 and d.tzinfo is None:
        return d.date().isoformat()
    return d.isoformat()
