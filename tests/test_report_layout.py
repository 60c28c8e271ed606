"""Pictures and grid read in one pass (issue 23): the coverage timeline speaks in days when the
dates carry no time, one fact numbering across grid, heat-map, side-by-side and JSON, the grid
leads with shared facts and folds single-outlet ones, datelines and clause fragments are never
facts, a "reported differently" cell names the slot, and the actor graph's labels never overlap.

Hand-built records only (no model, no network)."""

from __future__ import annotations

import re

import pytest

from parallax.analysis.claims import is_fragment
from parallax.model import Actor, Article, Claim, Comparison, Conflict, Relation, Sentence, SentenceRef
from parallax.report.actor_graph import boxes_overlap, layout, render
from parallax.report.html import grid_rows, numbered, render_html
from parallax.stories.flow import story_flow
from parallax.web import svg


def _art(outlet, date):
    return Article.new(f"Text of {outlet}.", outlet=outlet, title=f"{outlet} title", published=date)


def test_timeline_of_day_only_dates_says_same_day():
    flow = story_flow("s1", [_art("fox", "2018-10-26"), _art("hpo", "2018-10-26"), _art("nyt", "2018-10-26")])
    out = str(svg.coverage_timeline(flow))
    assert "00:00" not in out and "same day" in out and "dates known to the day" in out
    xs = set(re.findall(r'<circle class="original" cx="([\d.]+)"', out))
    assert len(xs) == 1  # one day: one x, no invented order


def test_timeline_mixed_precision_is_in_days():
    flow = story_flow("s1", [_art("fox", "2018-10-26T09:30:00Z"), _art("hpo", "2018-10-26"),
                             _art("nyt", "2018-10-28")])
    out = str(svg.coverage_timeline(flow))
    assert "00:00" not in out and "09:30" not in out.split("<title>")[0]
    assert ">2018-10-26<" in out and ">2018-10-28<" in out
    found = re.findall(r'cx="([\d.]+)" cy="[\d.]+" r="6" fill="#3d6ab3"><title>(\w+)', out)
    by = {outlet: float(x) for x, outlet in found}
    assert by["fox"] == by["hpo"] < by["nyt"]  # the time of day is not used against a day-only date


def test_timeline_with_times_keeps_minutes():
    flow = story_flow("s1", [_art("fox", "2018-10-26T09:30:00Z"), _art("hpo", "2018-10-26T15:00:00Z")])
    out = str(svg.coverage_timeline(flow))
    assert "2018-10-26 09:30" in out and "2018-10-26 15:00" in out


@pytest.mark.parametrize("text,fragment", [
    ("WASHINGTON —", True),
    ("NEW YORK (Reuters) -", True),
    ("he is not the president's buddy.", True),
    ("Officials said.", True),
    ("The quake struck at dawn near the coast.", False),
    ("“We will rebuild,” the mayor said on Sunday.", False),
    ("eBay said its sales rose in March.", False),
])
def test_fragments_are_not_facts(text, fragment):
    assert is_fragment(text) is fragment


def test_split_off_clause_is_not_a_fragment():
    assert not is_fragment("pressure has been mounting for him to step down", opens_sentence=False)


def _ref(outlet, k, text, status="reported"):
    return SentenceRef(article_id=outlet, outlet=outlet, sentence=k, text=text, status=status)


def _comparison():
    outlets = ["fox", "hpo", "nyt"]
    arts = [Article(id=o, text="x", outlet=o, sentences=[Sentence(k, 0, 1, f"s{k}") for k in range(7)])
            for o in outlets]
    conflict = Conflict("how many", "fox", "hpo", "63 seats", "36 seats",
                        "The party won 63 seats in the vote.", "The party won 36 seats in the vote.", fact=1)
    facts = [
        Claim([_ref("fox", 0, "Forensic investigators arrived at the consulate on Monday after long talks "
                    "between the two governments about access."), _ref("hpo", 2, "Investigators arrived."),
               _ref("nyt", 1, "Investigators entered the consulate.")], 1.0, kind="core", number=1),
        Claim([_ref("fox", 3, conflict.text_a, "differs"), _ref("hpo", 1, conflict.text_b, "differs")], 0.67,
              kind="core", conflicts=[conflict], number=2),
        Claim([_ref("fox", 5, "Only fox says this about the weather.")], 0.33, kind="single", number=3),
        Claim([_ref("fox", 6, "Only fox says this about the roads.")], 0.33, kind="single", number=4),
        Claim([_ref("nyt", 4, "Only nyt reports the <script>alert(1)</script> detail.")], 0.33, kind="single",
              number=5),
    ]
    shared = sorted(facts[:2], key=lambda c: -c.support)[::-1]  # a different order on purpose
    return Comparison(articles=arts, event="e", event_outlets=outlets, shared=shared, unique={},
                      quotes=[], sources={}, actors=[], relations=[], similarity=[], facts=facts,
                      conflicts=[conflict], omissions={"nyt": [1]})


def test_one_numbering_in_grid_heatmap_and_json():
    c = _comparison()
    html = render_html(c)
    grid = {int(n): re.sub(r"<[^>]+>", "", t).strip() for n, t in
            re.findall(r'<tr id="grid-(\d+)">.*?<td class="txt">(.*?)</td></tr>', html, re.S)}
    heat = str(svg.fact_heatmap(numbered(c), ["fox", "hpo", "nyt"]))
    labels = re.findall(r'data-fact="(\d+)".*?<title>fact \d+: (.*?)</title>', heat)
    assert [int(n) for n, _ in labels] == [1, 2]  # shared facts only, numbered as in the grid
    for n, text in labels:
        assert grid[int(n)].startswith(text[:30])
    assert [f["number"] for f in c.to_dict()["facts"]] == [1, 2, 3, 4, 5]
    # the side-by-side view links the grid numbers, whatever the order of c.shared
    assert re.search(r'href="#fact-1">\[1\]</a> s0', html) and 'id="fact-1"' in html  # fox sentence 0
    assert re.search(r'href="#fact-2">\[2\]</a> s1', html)  # hpo sentence 1 is fact 2


def test_heatmap_labels_wrap_and_keep_the_full_text():
    heat = str(svg.fact_heatmap(numbered(_comparison()), ["fox", "hpo", "nyt"]))
    assert heat.count("<tspan") >= 3  # the long first fact wraps onto two lines
    assert "between the two governments about access." in heat  # full text in its tooltip


def test_grid_folds_single_outlet_facts_and_names_the_slot():
    c = _comparison()
    g = grid_rows(c)
    assert [r["number"] for r in g["main"]] == [1, 2]
    assert [(o, [r["number"] for r in rows]) for o, rows in g["folds"]] == [("fox", [3, 4]), ("nyt", [5])]
    html = render_html(c)
    assert re.search(r'<details class="fold" id="only-1"><summary>2 facts only in <b>fox</b>', html)
    assert "<b>how many</b> differs: fox &ldquo;63 seats&rdquo; vs hpo &ldquo;36 seats&rdquo;" in html
    assert "hpo: The party won 36 seats in the vote." in html  # the other wording shown too
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html


def _graph_case():
    names = ["Donald Trump", "Florida", "Recep Tayyip Erdogan", "Saudi Arabia", "Turkey", "Jamal Khashoggi",
             "Mohammed bin Salman", "The United States Department of State", "Mike Pompeo", "CIA", "Riyadh",
             "Istanbul prosecutors", "<script>x</script>"]
    actors = [Actor(name=n, type="person", mentions=20 - k) for k, n in enumerate(names)]
    actors.append(Actor(name="Lonely Actor", type="person", mentions=30))
    pairs = [(0, 1, 1), (0, 3, 1), (2, 3, -1), (2, 4, 0), (5, 6, -1), (6, 3, 0), (7, 8, 0), (8, 6, 0),
             (9, 5, 0), (10, 6, 1), (11, 5, 0), (4, 11, 0), (12, 0, -1), (1, 0, 0)]
    rels = [Relation(subject=names[a], predicate="meets", object=names[b], polarity=p, sentence=0,
                     evidence="e", outlet=o, hedged=(a == 7)) for a, b, p in pairs for o in ("fox", "hpo")[: 1 + a % 2]]
    return actors, rels


def test_actor_graph_labels_never_overlap_and_layout_is_deterministic():
    actors, rels = _graph_case()
    lay = layout(actors, rels)
    boxes = [v.box for v in lay.nodes]
    assert len(lay.nodes) == 13 and not boxes_overlap(boxes)
    discs = [(v.x - v.r, v.y - v.r, 2 * v.r, 2 * v.r) for v in lay.nodes]
    assert not [(i, j) for i, b in enumerate(boxes) for j, d in enumerate(discs) if boxes_overlap([b, d])]
    assert all(0 <= x and 0 <= y and x + w <= lay.width and y + h <= lay.height for x, y, w, h in boxes)
    assert lay.isolated[0] == "Lonely Actor"  # listed apart, not a node
    again = layout(actors, rels)
    assert [(v.x, v.y, v.box) for v in again.nodes] == [(v.x, v.y, v.box) for v in lay.nodes]
    out = str(render(lay))
    assert out.count('class="edge"') == len(lay.edges) == 14
    assert "outlets: fox, hpo" in out and 'stroke-dasharray="5 4"' in out and "#c0392b" in out
    assert "<script>x" not in out and "&lt;script&gt;x" in out


def test_terminal_grid_shows_shared_rows_and_a_count_line_per_outlet():
    from rich.console import Console

    from parallax.report.grid import print_grid

    console = Console(width=100, record=True, force_terminal=False)
    print_grid(_comparison(), console)
    out = console.export_text()
    assert "Forensic investigators" in out and "Only fox says" not in out
    assert "+ 2 only in fox (facts 3–4)" in out
    assert "+ 1 only in nyt (fact 5)" in out
    assert "fact 2, how many differs: fox “63 seats” vs hpo “36 seats”" in out
    assert "hpo: The party won 36 seats in the vote." in out


def test_csv_uses_the_grid_numbers():
    import csv
    import io

    from parallax.report import to_csv

    rows = list(csv.DictReader(io.StringIO(to_csv(_comparison()))))
    by = {(r["fact"], r["outlet"]): r for r in rows}
    assert by[("2", "fox")]["status"] == "differs" and by[("2", "nyt")]["status"] == "not reported"
    assert by[("5", "nyt")]["text"].startswith("Only nyt reports")


def test_a_clause_without_a_verb_is_a_fragment():
    assert is_fragment("And not on a trivial matter.", has_verb=False)
