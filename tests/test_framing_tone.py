"""Per-actor tone: charged words in the outlet's own sentences about an actor, quotes excluded."""

from __future__ import annotations

from parallax.analysis.tone import actor_tone, sentence_tone
from parallax.model import Actor, Mention, Quote, Span
from tests.test_framing import make_parsed


def _article(*lines, quotes=()):
    parsed = make_parsed(*lines)
    return parsed.article


def test_hostile_and_favourable_outlets():
    a = _article("The regime of Smith crushed the protest.", "Smith is a corrupt tyrant.")
    b = _article("Smith praised the peaceful talks.", "Smith welcomed the progress.")
    a = a.__class__(**{**a.__dict__, "outlet": "A"})
    b = b.__class__(**{**b.__dict__, "outlet": "B"})
    tones = actor_tone([a, b], [Actor(name="Smith", type="person")])
    by = {t.outlet: t for t in tones}
    assert by["A"].score < 0 < by["B"].score
    assert by["A"].negative and by["A"].negative[0].outlet == "A"
    assert "corrupt" in by["A"].words


def test_quotes_are_not_the_outlets_tone():
    text = 'Jones said "Smith is a corrupt, evil tyrant."'
    quoted = [(text.index('"'), len(text))]
    assert sentence_tone(text, 0, len(text), quoted) == (0, [])


def test_negation_flips():
    text = "Smith did not fail."
    assert sentence_tone(text, 0, len(text))[0] > 0


def test_mentions_resolve_actor():
    art = _article("He is a corrupt liar.")
    art = art.__class__(**{**art.__dict__, "outlet": "A",
                           "mentions": [Mention(0, 2, "He", "PERSON", 0, actor="Smith")]})
    (tone,) = actor_tone([art], [Actor(name="Smith", type="person")])
    assert tone.sentences == 1 and tone.score < 0


def test_terminal_and_html_render_tone():
    from rich.console import Console

    from parallax.model import Comparison, SentenceRef, Tone
    from parallax.report.tone import print_tone

    ref = SentenceRef("a1", "A", 0, "Smith is a corrupt tyrant.")
    tone = Tone(actor="Smith", outlet="A", score=-0.76, sentences=2, negative=[ref], words=["corrupt", "tyrant"])
    c = Comparison(articles=[], event="", event_outlets=[], shared=[], unique={}, quotes=[], sources={},
                   actors=[], relations=[], similarity=[], tone=[tone])
    console = Console(record=True, width=120)
    print_tone(console, c)
    out = console.export_text()
    assert "hostile" in out and "Smith is a corrupt tyrant." in out

    import jinja2

    from parallax.report import html as html_mod

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(html_mod.__file__.rsplit("/", 1)[0] + "/templates"),
                             autoescape=True)
    page = env.get_template("_tone.html.j2").render(c=c)
    assert "Smith" in page and "-0.76" in page and "corrupt" in page
