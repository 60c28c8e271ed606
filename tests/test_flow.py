"""Story flow: order in time, lag after the first article, copies and copy-only outlets."""

from __future__ import annotations

from parallax.model import Article
from parallax.stories.flow import story_flow


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
    assert [s.lag_hours for s in flow.steps] == [0.0, 3.5, 14.0, None]
    assert flow.steps[1].copy_of == wire.id and flow.steps[1].copy_of_outlet == "wire"
    assert flow.copy_only_outlets == ["daily"]
    assert flow.independent_outlets == ["blog", "herald", "wire"]


def test_flow_of_empty_story():
    flow = story_flow("s0", [])
    assert flow.steps == [] and flow.first_outlet == ""
