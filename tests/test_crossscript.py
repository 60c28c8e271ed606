"""Numbers, dates and names compared across languages and scripts (claim grid conflicts).

Every claim here was written for these tests: one invented event told in English, German,
Russian, Arabic and Chinese wordings.
"""

from __future__ import annotations

import pytest

from parallax.analysis.conflicts import _same_name, find_conflicts
from parallax.analysis.crossscript import english_dates, english_numbers, fold_digits, same_word, transliterate


@pytest.mark.parametrize("text,lang,want", [
    ("١٢٠ رجل إطفاء", "ar", "120 رجل إطفاء"),
    ("٣٫٥ بالمئة", "ar", "3.5 بالمئة"),
    ("1.200 Menschen, 3,5 Prozent", "de", "1,200 Menschen, 3.5 Prozent"),
    ("1 200 человек", "ru", "1,200 человек"),
    ("1\u202f200 personnes", "fr", "1,200 personnes"),
    ("1,200 people, 3.5 percent", "en", "1,200 people, 3.5 percent"),
    ("um 12.30 Uhr am 12.03.2024", "de", "um 12.30 Uhr am 12.03.2024"),  # times and dates untouched
])
def test_numbers_in_english_notation(text, lang, want):
    assert english_numbers(text, lang) == want


def test_digits_of_other_scripts_fold():
    assert fold_digits("٢٠٢٤ / २०२४ / ２０２４") == "2024 / 2024 / 2024"


@pytest.mark.parametrize("text,lang,month", [
    ("am 5. März", "de", "March"),
    ("5 марта", "ru", "March"),
    ("3月5日", "zh", "March"),
    ("el 5 de marzo", "es", "March"),
])
def test_month_names_read_in_any_language(text, lang, month):
    assert month in english_dates(text, lang)


def test_names_match_across_scripts():
    assert transliterate("Путин") == "putin"
    assert same_word("Putin", "Путин")
    assert same_word("Putin", "Путина")  # Russian genitive
    assert same_word("Zelensky", "Зеленский")  # another transliteration of the ending
    assert not same_word("Putin", "Медведев")
    assert not same_word("Johnson", "Johnston")  # two Latin spellings: not this rule's call
    assert _same_name("Vladimir Putin", "Владимир Путин")
    assert _same_name("Putin", "Путина")
    assert not _same_name("Putin", "Медведев")


EN = "Firefighters said 1,200 people were evacuated on March 5."


@pytest.mark.parametrize("other,lang", [
    ("Die Feuerwehr sagte, 1.200 Menschen seien am 5. März evakuiert worden.", "de"),
    ("Пожарные сообщили, что 5 марта были эвакуированы 1 200 человек.", "ru"),
    ("قال رجال الإطفاء إنه تم إجلاء ١٬٢٠٠ شخص في ٥ مارس.", "ar"),
])
def test_same_figures_and_date_across_languages_are_no_conflict(other, lang):
    assert find_conflicts(EN, other, lang_a="en", lang_b=lang) == []


def test_different_figure_across_languages_is_a_conflict():
    found = find_conflicts(EN, "Пожарные сообщили, что 5 марта были эвакуированы 2 000 человек.", lang_a="en", lang_b="ru")
    assert [(d.kind, d.a, d.b, d.severity) for d in found] == [("how many", "1,200", "2,000", "contradiction")]


def test_close_figure_across_languages_is_only_differently_precise():
    # "rund 1.150": the German hedge is not read, so a figure within 15% is not a contradiction
    found = find_conflicts(EN, "Rund 1.150 Menschen wurden am 5. März evakuiert.", lang_a="en", lang_b="de")
    assert [(d.kind, d.severity) for d in found] == [("how many", "precision")]


def test_different_month_across_languages_is_a_conflict():
    found = find_conflicts(EN, "1.200 Menschen wurden am 5. April evakuiert.", lang_a="en", lang_b="de")
    assert [(d.kind, d.a, d.b) for d in found] == [("when", "March", "April")]


def test_english_claims_keep_the_english_rules():
    # units are compared within English: a different count of a different thing is no conflict
    assert find_conflicts("Police arrested 12 protesters.", "Police arrested 12 protesters and seized 3 cars.") == []
    assert [d.kind for d in find_conflicts("Police arrested 12 protesters.", "Police arrested 15 protesters.")] == ["how many"]
