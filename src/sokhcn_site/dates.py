"""Parse front-matter dates and format them the portal's way."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

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
        raise DateProblem(f"ngày '{_shown(value)}' không đúng định dạng; {DATE_HINT}")
    year, month, day, hour, minute, second, offset = match.groups()
    calendar = (int(year), int(month), int(day))
    try:
        date(*calendar)
    except ValueError:
        raise DateProblem(f"ngày '{text}' không có trên lịch; kiểm tra lại ngày và tháng") from None
    clock = (int(hour or 0), int(minute or 0), int(second or 0))
    if clock[0] > 23 or clock[1] > 59 or clock[2] > 59:
        raise DateProblem(f"giờ trong '{text}' không có thật; giờ viết từ 00:00 đến 23:59")
    naive = datetime(*calendar, *clock)
    if offset is None:
        return naive.replace(tzinfo=tz)
    try:
        zone = _offset(offset)
    except ValueError:  # a day or more, or 60 minutes or more
        raise DateProblem(
            f"độ lệch múi giờ '{offset}' trong '{text}' không có thật; ví dụ +07:00 cho giờ "
            "Việt Nam, hoặc bỏ hẳn để dùng múi giờ của trang"
        ) from None
    try:
        return naive.replace(tzinfo=zone).astimezone(tz)
    except OverflowError:  # year 1 or 9999 moved across midnight leaves the calendar
        raise DateProblem(
            f"ngày '{text}' đổi sang múi giờ của trang thì ra ngoài lịch (trước năm 1 hay sau "
            "năm 9999); kiểm tra lại năm"
        ) from None


def _shown(value: object) -> str:
    """`value` as a message may quote it: a list (a YAML alias may make it billions of items
    long) by what it is, a long text by its start."""
    if not isinstance(value, str | int):
        return "(danh sách)" if isinstance(value, list) else f"({type(value).__name__})"
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if minutes > 59:
        raise ValueError(text)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def format_date(moment: datetime) -> str:
    """14/01/2020: the date shown on an article."""
    return moment.strftime("%d/%m/%Y")


def format_short_date(moment: datetime) -> str:
    """14/01/20: the date shown in "Các tin khác" lists."""
    return moment.strftime("%d/%m/%y")
