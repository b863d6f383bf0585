from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sokhcn_site.dates import DateProblem, format_date, format_short_date, parse_date

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_bare_date_is_that_day_in_the_site_timezone_not_utc():
    moment = parse_date("2020-01-14", TZ)
    assert moment == datetime(2020, 1, 14, tzinfo=TZ)
    assert moment.utcoffset() == timedelta(hours=7)
    assert format_date(moment) == "14/01/2020"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-01-14 08:30", datetime(2020, 1, 14, 8, 30, tzinfo=TZ)),
        ("2020-01-14 08:30:15", datetime(2020, 1, 14, 8, 30, 15, tzinfo=TZ)),
        ("2020-01-13 20:00 +00:00", datetime(2020, 1, 14, 3, 0, tzinfo=TZ)),
        ("2020-01-13 20:00Z", datetime(2020, 1, 14, 3, 0, tzinfo=TZ)),
        ("2020-01-14 08:30 +0700", datetime(2020, 1, 14, 8, 30, tzinfo=TZ)),
    ],
)
def test_times_and_offsets(text, expected):
    moment = parse_date(text, TZ)
    assert moment == expected
    assert moment.utcoffset() == timedelta(hours=7)  # shown in the site's timezone


@pytest.mark.parametrize("text", ["14/01/2020", "hôm qua", "2020-13-01", "2019-02-30", "", "2020"])
def test_bad_dates_are_refused_with_a_hint(text):
    with pytest.raises(DateProblem):
        parse_date(text, TZ)


def test_nonexistent_day_says_so():
    with pytest.raises(DateProblem, match="không có trên lịch"):
        parse_date("2019-02-30", TZ)


@pytest.mark.parametrize("text", ["2019-02-14 24:00", "2019-02-14 08:60", "2019-02-14 08:30:61"])
def test_an_impossible_time_is_named_as_the_time_not_the_day(text):
    with pytest.raises(DateProblem, match=r"giờ trong .* không có thật; giờ viết từ 00:00"):
        parse_date(text, TZ)


@pytest.mark.parametrize("offset", ["+25:00", "-2400", "+07:60"])
def test_an_impossible_offset_is_named(offset):
    with pytest.raises(DateProblem, match=rf"độ lệch múi giờ '\{offset}' .* ví dụ \+07:00"):
        parse_date(f"2019-02-14 08:30 {offset}", TZ)


@pytest.mark.parametrize("text", ["9999-12-31 23:59 -12:00", "0001-01-01 00:00 +14:00"])
def test_a_date_the_offset_moves_off_the_calendar_says_so(text):
    with pytest.raises(DateProblem, match="đổi sang múi giờ của trang thì ra ngoài lịch"):
        parse_date(text, TZ)


def test_short_date_for_other_news():
    assert format_short_date(datetime(2019, 10, 9, tzinfo=TZ)) == "09/10/19"
