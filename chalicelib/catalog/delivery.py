"""Delivery dates counted in working days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from chalicelib.kernel.markets import Market


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date a number of working days (Monday to Friday) after start."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def delivery_window(today: dt.date, days: tuple[int, int]) -> tuple[dt.date, dt.date]:
    """The earliest and latest delivery dates for an order placed today."""
    return add_business_days(today, days[0]), add_business_days(today, days[1])


def today_in(market: Market) -> dt.date:
    """Today's date where the market's shoppers are."""
    try:
        return dt.datetime.now(ZoneInfo(market.timezone)).date()
    except Exception:  # no tz database on the host: UTC is at most a day off
        return dt.datetime.now(dt.UTC).date()
