"""Story flow: order in time, lag after the first article, copies and copy-only outlets."""

from __future__ import annotations

from parallax.model import Article
from parallax.stories.flow import first_sentence, precision, story_flow


def test_flow_orders_and_marks_copies():
    wire = Article.new("Quake hits Arica, three injured, officials said.", outlet="wire",
                       published="2024-03-02T10:00:00+00:00")
    copy = Article.new("Quake hits Arica, three injured, officials said on Saturday.", outlet="daily",
                       published="2024-03-02T13:30:00+00:00", near_duplicate_of=wire.id)
    own = Article.new("Arica residents describe the night the ground shook.", outlet="herald",
                      published="2024-03-03")
    undated = Article.new("Engineers inspect Arica's piers after the quake.", outlet="blog")
    flow = story_flow("s1", [own, undated, copy, wire])
    assert flow.first_outlet == "wire"
    assert [s.outlet for s in flow.steps] == ["wire", "daily", "herald", "blog"]
    # herald's date is day-only: its lag is in days, never an invented 14 hours
    assert [s.lag_hours for s in flow.steps] == [0.0, 3.5, None, None]
    assert [s.lag_days for s in flow.steps] == [0, 0, 1, None]
    assert [s.lag for s in flow.steps] == ["first", "+3.5 h", "+1 day", "undated"]
    assert [s.precision for s in flow.steps] == ["minute", "minute", "day", ""]
    assert flow.steps[1].copy_of == wire.id and flow.steps[1].copy_of_outlet == "wire"
    assert flow.copy_only_outlets == ["daily"]
    assert flow.independent_outlets == ["blog", "herald", "wire"]


def test_flow_of_empty_story():
    flow = story_flow("s0", [])
    assert flow.steps == [] and flow.first_outlet == ""


def test_date_only_inputs_speak_in_days_and_tie_for_first():
    """Three outlets dated only to the day: no hour lags, no invented first publisher."""
    a = Article.new("Storm closes the harbour.", outlet="fox", published="2018-10-26")
    b = Article.new("Harbour shut as storm arrives.", outlet="hpo", published="2018-10-26")
    c = Article.new("Harbour reopens after storm.", outlet="nyt", published="2018-10-28")
    flow = story_flow("s2", [c, b, a])
    assert all(s.lag_hours is None for s in flow.steps)
    assert [s.lag for s in flow.steps] == ["first day", "same day", "+2 days"]
    assert flow.first_outlet == "" and flow.first_outlets == ["fox", "hpo"]
    assert first_sentence(flow) == "first published the same day by fox, hpo"


def test_day_only_date_ties_with_a_timed_one_on_that_day():
    timed = Article.new("Storm closes the harbour.", outlet="wire", published="2018-10-26T08:15:00+00:00")
    dayonly = Article.new("Harbour shut as storm arrives.", outlet="daily", published="2018-10-26")
    flow = story_flow("s3", [timed, dayonly])
    assert flow.first_outlets == ["daily", "wire"] and flow.first_outlet == ""
    assert [s.lag_hours for s in flow.steps] == [None, None]
    assert "same day" in first_sentence(flow)


def test_strictly_earliest_at_minute_precision_is_first():
    early = Article.new("Storm closes the harbour.", outlet="wire", published="2018-10-26T08:15:00+00:00")
    late = Article.new("Harbour shut as storm arrives.", outlet="daily", published="2018-10-26T09:45:00+00:00")
    flow = story_flow("s4", [late, early])
    assert flow.first_outlet == "wire" and flow.first_outlets == ["wire"]
    assert first_sentence(flow) == "first published by wire"
    assert flow.steps[1].lag == "+1.5 h"


def test_precision_comes_from_the_stored_string():
    assert precision("2018-10-26") == "day"
    assert precision("Fri, 26 Oct 2018") == "day"
    assert precision("2018-10-26T08:15:00+00:00") == "minute"
    assert precision("Fri, 26 Oct 2018 08:15:00 GMT") == "minute"
    assert precision("") == "" and precision("not a date") == ""
