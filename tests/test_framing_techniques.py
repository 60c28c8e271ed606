"""Propaganda techniques: every rule names its technique and span with a plain reason, quotes are
never the outlet's, the span score gives partial credit, and the trained tagger / classifier
learn from PTC-format spans."""

from __future__ import annotations

import numpy as np
import pytest

from parallax.analysis.framing import flag_sentences, quoted_ranges, sentence_cues
from parallax.analysis.techniques import (PTCArticle, SpanTagger, TechniqueClassifier, rule_techniques,
                                          si_prf)
from tests.test_framing import make_parsed

CASES = [
    ("The regime's thugs beat protesters outside the court.", "Name_Calling,Labeling", "thugs"),
    ("Critics slammed the cynical reform.", "Loaded_Language", "cynical"),
    ("The province was bombed back to the Stone Age.", "Exaggeration,Minimisation", "back to the Stone Age"),
    ("The whole plan is utterly pointless.", "Exaggeration,Minimisation", "utterly"),
    ('Officials are again playing the "national security" card.', "Doubt", '"national security"'),
    ("Who, exactly, thought this was a good idea?", "Doubt", "Who, exactly, thought this was a good idea?"),
    ("The so-called reform changes nothing.", "Doubt", "so-called"),
    ("This is an existential threat to our way of life.", "Appeal_to_fear-prejudice", "existential threat"),
    ("This is an existential threat to our way of life.", "Flag-Waving", "our way of life"),
    ("But what about the riots last summer?", "Whataboutism,Straw_Men,Red_Herring", "But what about"),
    ("Prices rose all because of the new tax.", "Causal_Oversimplification", "all because"),
    ("You are either with the plan or against the country.", "Black-and-White_Fallacy", "You are either"),
    ("Everyone knows the deal was rigged.", "Bandwagon,Reductio_ad_hitlerum", "Everyone knows"),
    ("The tax is here to stay: it is what it is.", "Thought-terminating_Cliches", "it is what it is"),
    ("Supporters chanted drain the swamp at the rally.", "Slogans", "drain the swamp"),
]


@pytest.mark.parametrize("sentence,technique,span", CASES)
def test_each_rule_names_technique_span_and_reason(sentence, technique, span):
    quoted = quoted_ranges(sentence)
    found = rule_techniques(sentence, 0, len(sentence), sentence_cues(sentence, 0, len(sentence), quoted), quoted)
    hits = [t for t in found if t.technique == technique]
    assert hits, found
    assert span in [t.span.text for t in hits]
    for t in found:
        assert sentence[t.span.start:t.span.end] == t.span.text
        assert t.reason and ":" in t.reason


def test_quoted_words_carry_no_technique():
    s = 'He said: "What about the riots? Everyone knows these thugs are evil."'
    quoted = quoted_ranges(s)
    assert rule_techniques(s, 0, len(s), sentence_cues(s, 0, len(s), quoted), quoted) == []


def test_flags_carry_techniques():
    parsed = make_parsed("The regime's thugs beat protesters, needless to say.")
    (flag,) = flag_sentences(parsed, model=None)
    assert {t.technique for t in flag.techniques} >= {"Name_Calling,Labeling"}


def test_si_partial_overlap_credit():
    gold = [[(0, 10)]]
    assert si_prf([[(0, 10)]], gold)["f1"] == 1.0
    half = si_prf([[(0, 5)]], gold)
    assert half["precision"] == 1.0 and half["recall"] == 0.5
    assert si_prf([[(20, 30)]], gold)["f1"] == 0.0
    assert si_prf([[]], gold)["f1"] == 0.0


def _ptc(n: int = 12) -> list[PTCArticle]:
    arts = []
    for i in range(n):
        text = (f"Story {i}\n\nThe corrupt thugs ruined the town again.\n"
                f"The mayor met residents on day {i}.\nIs this really the best they can do?\n")
        spans = []
        for word, tech in (("corrupt", "Loaded_Language"), ("thugs", "Name_Calling,Labeling"),
                           ("Is this really the best they can do?", "Doubt")):
            a = text.index(word)
            spans.append((tech, a, a + len(word)))
        arts.append(PTCArticle(text, tuple(spans)))
    return arts


def test_span_tagger_learns_loaded_words():
    arts = _ptc()
    tagger = SpanTagger().fit(arts[:9])
    pred = [tagger.predict(a.text) for a in arts[9:]]
    gold = [[(a, b) for t, a, b in art.spans if t in tagger.techniques] for art in arts[9:]]
    assert si_prf(pred, gold)["recall"] > 0.5


def test_technique_classifier_on_gold_spans():
    def emb(texts):
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, len(t) % 384] = 1.0
        return out

    arts = _ptc()
    items = [(a.text, s, e) for a in arts for _, s, e in a.spans]
    labels = [t for a in arts for t, _, _ in a.spans]
    clf = TechniqueClassifier().fit(items[:27], labels[:27], emb)
    assert clf.predict(items[27:], emb) == labels[27:]
