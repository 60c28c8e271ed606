"""Article similarity: same event reworded beats same topic, identical is ~1, boilerplate ignored."""

from __future__ import annotations

import pytest

from parallax.analysis.similarity import (
    article_similarity,
    article_views,
    is_boilerplate,
    pair_similarities,
    strip_boilerplate,
)
from parallax.model import Article

pytestmark = pytest.mark.slow

QUAKE_A = Article.new(
    "A magnitude 7.1 earthquake struck off the coast of central Chile on Tuesday, killing at least "
    "three people and damaging hundreds of homes in the port city of Valparaiso.\n"
    "Chile's emergency office said tsunami warnings were lifted after two hours. President Gabriel "
    "Boric said the army would help clear roads blocked by landslides.",
    outlet="Wire A",
)
QUAKE_B = Article.new(
    "At least three people died when a powerful 7.1 quake hit central Chile on Tuesday, officials "
    "said, with hundreds of houses damaged around Valparaiso.\n"
    "A tsunami alert was cancelled two hours later. Boric announced that soldiers would be sent to "
    "reopen roads cut by landslides.",
    outlet="Wire B",
)
QUAKE_OTHER = Article.new(
    "Japan held its annual earthquake preparedness drill on Sunday, with millions of residents in "
    "Tokyo practising evacuations.\n"
    "Seismologists said the country must prepare for a major quake in the coming decades, and the "
    "government unveiled new building standards for schools.",
    outlet="Wire C",
)
FOOTBALL = Article.new(
    "Manchester City beat Arsenal 3-1 at the Etihad on Saturday to go top of the Premier League.\n"
    "Erling Haaland scored twice before half-time and Phil Foden added a third late on.",
    outlet="Sport",
)


def test_same_event_reworded_beats_same_topic():
    same = article_similarity(QUAKE_A, QUAKE_B)
    topic = article_similarity(QUAKE_A, QUAKE_OTHER)
    unrelated = article_similarity(QUAKE_A, FOOTBALL)
    assert same > topic > unrelated
    assert same > 0.6
    assert unrelated < 0.3


def test_identical_is_one_and_range():
    assert article_similarity(QUAKE_A, QUAKE_A) == pytest.approx(1.0)
    # a copy with another id (different whitespace) still scores ~1
    copy = Article.new(QUAKE_A.text + "\n", outlet="Copy")
    assert copy.id != QUAKE_A.id or copy.text != QUAKE_A.text
    assert article_similarity(QUAKE_A, copy) == pytest.approx(1.0, abs=1e-3)
    for s in pair_similarities([(QUAKE_A, FOOTBALL), (QUAKE_B, QUAKE_OTHER)]):
        assert 0.0 <= s <= 1.0


def test_batch_matches_single_and_is_symmetric():
    pairs = [(QUAKE_A, QUAKE_B), (QUAKE_B, QUAKE_A), (QUAKE_A, QUAKE_OTHER)]
    batch = pair_similarities(pairs)
    assert batch[0] == pytest.approx(batch[1], abs=1e-6)
    assert batch[0] == pytest.approx(article_similarity(QUAKE_A, QUAKE_B), abs=1e-5)
    assert batch[2] == pytest.approx(article_similarity(QUAKE_A, QUAKE_OTHER), abs=1e-5)
    assert pair_similarities([]) == []


def test_paywall_page_still_matches_its_story():
    walled = Article.new(
        "Powerful quake kills three in central Chile\n"
        "You have reached the limit for free access to our important and valuable work.\n"
        "Subscribers, click below to login or register your subscription to continue.\n"
        "Log In Sign Up",
        title="Powerful quake kills three in central Chile",
    )
    assert article_similarity(QUAKE_A, walled) > article_similarity(QUAKE_OTHER, walled)


def test_boilerplate_helpers():
    assert is_boilerplate("We use cookies to ensure that we give you the best experience.")
    assert is_boilerplate("Log In Sign Up")
    assert not is_boilerplate("The minister said the subscription fee for the service would rise.")
    assert strip_boilerplate("Oil to outperform TAKE A FREE TRIAL Registered users can read") == "Oil to outperform"
    assert strip_boilerplate("Log In Sign Up") == ""
    # a cookie notice goes whole, not just from its first banner phrase on; cookies in a story stay
    assert strip_boilerplate("If you continue without changing your settings, we'll assume that you are "
                             "happy to receive all cookies on this website.") == ""
    assert strip_boilerplate("However, you can change your cookie settings at any time.") == ""
    assert strip_boilerplate("The bakery sold 500 cookies on Sunday.") == "The bakery sold 500 cookies on Sunday."
    views = article_views(Article.new("x"), ["WASHINGTON —", "All rights reserved.", "Talks resumed on Monday."])
    assert views.headline == ""  # a dateline is not a headline
    assert "rights reserved" not in views.body
    assert "Talks resumed" in views.lead


# --- text the English sentence model cannot read ------------------------------------------------

HINDI_A = Article.new(
    "सरकार ने चंद्रयान-3 के मिशन को मंजूरी दी, काम जारी है। इसरो प्रमुख ने बुधवार को बताया कि परियोजना पर काम चल रहा है। "
    "मिशन में केवल लैंडर और रोवर होंगे।", outlet="hi-1")
HINDI_B = Article.new(
    "नए साल का जश्न: दिल्ली में सड़कें जाम, कई मेट्रो स्टेशन बंद। ट्रैफिक पुलिस ने लोगों से सार्वजनिक परिवहन का "
    "उपयोग करने को कहा।", outlet="hi-2")
HINDI_A2 = Article.new(
    "इसरो प्रमुख ने बुधवार को बताया कि सरकार ने चंद्रयान-3 के मिशन को मंजूरी दे दी है। मिशन में लैंडर और रोवर होंगे, "
    "ऑर्बिटर नहीं।", outlet="hi-3")


def test_foreign_script_scored_by_the_multilingual_encoders_not_the_english_model():
    from parallax.analysis.similarity import foreign_share

    assert foreign_share("A quake hit Chile.") == 0.0 and foreign_share("Ça va, señor Müller") == 0.0
    assert foreign_share(HINDI_A.text) > 0.9
    unrelated, same = pair_similarities([(HINDI_A, HINDI_B), (HINDI_A, HINDI_A2)])
    # Hindi is read by e5 only (USE has no Hindi); shared words take USE's vote, so an unrelated
    # pair stays low and the same story told twice scores far above it
    assert unrelated < 0.35 and same > 0.6 and same > unrelated + 0.4
