"""Parse front-matter dates and format them the portal's way."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

_DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)

DATE_HINT = "viết ngày theo dạng 2020-01-14 hoặc 2020-01-14 08:30"


class DateProblem(ValueError):
    """A date an editor wrote that we cannot use; the message is for the editor."""


def parse_date(value: object, tz: tzinfo) -> datetime:
    """Read YYYY-MM-DD[ HH:MM[:SS]][offset]; without an offset the time is in `tz`."""
    text = str(value).strip() if isinstance(value, str | int) else None
    match = _DATE.fullmatch(text) if text else None
    if match is None:
        raise DateProblem(f"ngày '{value}' không đúng định dạng; {DATE_HINT}")
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        naive = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
        if offset is None:
            return naive.replace(tzinfo=tz)
        # Converting year 1 or 9999 across midnight leaves the calendar: OverflowError.
        return naive.replace(tzinfo=_offset(offset)).astimezone(tz)
    except (ValueError, OverflowError):
        raise DateProblem(f"ngày '{text}' không có trên lịch; kiểm tra lại ngày và tháng") from None


def _offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def format_date(moment: datetime) -> str:
    """14/01/2020: the date shown on an article."""
    return moment.strftime("%d/%m/%Y")


def format_short_date(moment: datetime) -> str:
    """14/01/20: the date shown in "Các tin khác" lists."""
    return moment.strftime("%d/%m/%y")
