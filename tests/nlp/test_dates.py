"""Date expressions resolved against the publication date: one group of asserts per form.

Golden sentences are ours, in the flavour of Afghanistan in 2021: the Kabul airport bombing of
26 August and the drone strike of 29 August, reported on 29 September (a Wednesday).
"""

from __future__ import annotations

import datetime as dt

import pytest

from overhorizon.nlp.dates import resolve_date
from overhorizon.records import DateValue

PUBLISHED = dt.date(2021, 9, 29)  # a Wednesday


def span_of(expression: str, published: dt.date | None = PUBLISHED, **kw: str) -> tuple[str, ...]:
    """(start, end, precision) of a resolved expression, or () when it does not resolve."""
    value = resolve_date(expression, published, **kw)
    return () if value is None else (value.start or "", value.end or "", value.precision)


def test_month_day_is_the_latest_one_on_or_before_published() -> None:
    assert span_of("June 16th") == ("2021-06-16", "2021-06-16", "day")
    assert span_of("August 29th") == ("2021-08-29", "2021-08-29", "day")
    # Later in the year than the publication date: last year's, not this year's.
    assert span_of("December 25") == ("2020-12-25", "2020-12-25", "day")
    # The publication day itself counts.
    assert span_of("September 29") == ("2021-09-29", "2021-09-29", "day")


def test_future_cue_in_context_picks_the_next_one() -> None:
    ctx = "The two presidents will meet again on"
    assert span_of("June 16th", context=ctx) == ("2022-06-16", "2022-06-16", "day")
    assert span_of("October 3", context="talks are scheduled for") == (
        "2021-10-03",
        "2021-10-03",
        "day",
    )
    # "would" reports an old plan: still the past one.
    assert span_of("August 31", context="troops would leave by")[0] == "2021-08-31"


def test_month_name_forms_give_the_same_day() -> None:
    forms = ["29 August 2021", "August 29, 2021", "Aug. 29", "on August 29th", "2021-08-29"]
    forms += ["the 29th of August", "Sunday, August 29", "08/29/2021"]
    for form in forms:
        assert span_of(form) == ("2021-08-29", "2021-08-29", "day"), form


def test_since_is_a_range_up_to_published() -> None:
    value = resolve_date("since August 29th", PUBLISHED)
    assert value == DateValue("2021-08-29", "2021-09-29", "range", "since August 29th")
    assert span_of("since 2001") == ("2001-01-01", "2021-09-29", "range")
    assert span_of("since Sunday") == ("2021-09-26", "2021-09-29", "range")


def test_last_week_is_the_monday_to_sunday_week_before() -> None:
    assert span_of("last week") == ("2021-09-20", "2021-09-26", "week")
    assert span_of("next week") == ("2021-10-04", "2021-10-10", "week")
    assert span_of("this week") == ("2021-09-27", "2021-10-03", "week")
    # Published on a Monday, "last week" is the whole week that just ended.
    assert span_of("last week", dt.date(2021, 8, 30)) == ("2021-08-23", "2021-08-29", "week")


def test_weekday_is_the_most_recent_one_before_published() -> None:
    monday = dt.date(2021, 8, 30)
    assert span_of("Sunday", monday) == ("2021-08-29", "2021-08-29", "day")
    assert span_of("on Monday night") == ("2021-09-27", "2021-09-27", "day")
    # Published on a Sunday, "Sunday" is that day (wire style); "last Sunday" the week before.
    sunday = dt.date(2021, 8, 29)
    assert span_of("Sunday", sunday) == ("2021-08-29", "2021-08-29", "day")
    assert span_of("last Sunday", sunday) == ("2021-08-22", "2021-08-22", "day")
    assert span_of("today", sunday) == ("2021-08-29", "2021-08-29", "day")
    assert span_of("Friday", context="a vote is scheduled for") == (
        "2021-10-01",
        "2021-10-01",
        "day",
    )


def test_vague_parts_of_a_month_are_ranges() -> None:
    assert span_of("mid-August") == ("2021-08-11", "2021-08-20", "range")
    assert span_of("early September") == ("2021-09-01", "2021-09-10", "range")
    assert span_of("late last month") == ("2021-08-21", "2021-08-31", "range")
    assert span_of("late February", dt.date(2021, 3, 5)) == ("2021-02-21", "2021-02-28", "range")
    assert span_of("mid-2021") == ("2021-05-01", "2021-08-31", "range")


def test_months_and_years() -> None:
    assert span_of("this month") == ("2021-09-01", "2021-09-30", "month")
    assert span_of("in July") == ("2021-07-01", "2021-07-31", "month")
    assert span_of("in September") == ("2021-09-01", "2021-09-30", "month")
    assert span_of("in July", context="elections will be held") == (
        "2022-07-01",
        "2022-07-31",
        "month",
    )
    assert span_of("August 2021") == ("2021-08-01", "2021-08-31", "month")
    assert span_of("2021") == ("2021-01-01", "2021-12-31", "year")
    assert span_of("last year") == ("2020-01-01", "2020-12-31", "year")


def test_days_relative_to_published() -> None:
    assert span_of("yesterday") == ("2021-09-28", "2021-09-28", "day")
    assert span_of("two days ago") == ("2021-09-27", "2021-09-27", "day")
    assert span_of("the 13th") == ("2021-09-13", "2021-09-13", "day")
    assert span_of("the weekend") == ("2021-09-25", "2021-09-26", "range")


def test_the_past_n_units_is_a_range_ending_on_published() -> None:
    assert span_of("the past two weeks") == ("2021-09-15", "2021-09-29", "range")
    assert span_of("over the past 10 days") == ("2021-09-19", "2021-09-29", "range")
    assert span_of("the past week") == ("2021-09-22", "2021-09-29", "range")


def test_ranges_between_two_dates() -> None:
    assert span_of("26-29 August 2021") == ("2021-08-26", "2021-08-29", "range")
    assert span_of("August 26 to 29") == ("2021-08-26", "2021-08-29", "range")
    assert span_of("between August 26 and September 3") == ("2021-08-26", "2021-09-03", "range")


@pytest.mark.parametrize(
    "duration", ["three hours", "20 years", "the day", "daily", "weeks", "a decade", "two days"]
)
def test_durations_are_not_dates(duration: str) -> None:
    assert resolve_date(duration, PUBLISHED) is None


def test_without_published_only_absolute_dates_resolve() -> None:
    assert span_of("29 August 2021", None) == ("2021-08-29", "2021-08-29", "day")
    assert span_of("August 2021", None) == ("2021-08-01", "2021-08-31", "month")
    assert span_of("2021", None) == ("2021-01-01", "2021-12-31", "year")
    for relative in ["last week", "August 29th", "yesterday", "since 29 August 2021", "Sunday"]:
        assert resolve_date(relative, None) is None, relative


ODD = ["", "   ", "garbage", "x" * 10_000, "9" * 500 + " days ago", "February 30", "the 45th"]
ODD += ["\x00", "1-" * 59, "since since", "between and", "99999 years ago", "mid-"]


@pytest.mark.parametrize("odd", ODD)
def test_odd_input_returns_none_without_raising(odd: str) -> None:
    assert resolve_date(odd, PUBLISHED) is None


def test_text_is_the_expression_as_given() -> None:
    value = resolve_date("  Aug. 29 ", PUBLISHED)
    assert value is not None and value.text == "  Aug. 29 "


def test_future_cues_are_read_from_the_context_sentence_only() -> None:
    """The expression alone is the past ("Monday night" before publication); a future cue in
    the context given (its sentence) moves it forward; a cue outside that sentence does not."""
    past = resolve_date("Monday night", PUBLISHED, context="The talks ended on Monday night.")
    assert past is not None and past.start == "2021-09-27"
    ahead = resolve_date("Monday", PUBLISHED, context="The envoy will travel on Monday.")
    assert ahead is not None and ahead.start == "2021-10-04"
