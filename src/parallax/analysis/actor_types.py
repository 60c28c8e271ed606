"""Actor types from evidence, and the canonical key that names one actor everywhere.

What: ``name_key`` folds a name to the key that identifies an actor across outlets and across a
database ("The U.S." and "US" -> "us", "Peña Nieto" -> "pena nieto"); ``known`` looks a name up in
the general lists shipped with the project (countries from pycountry plus common English short
forms, US states, news organisations and agencies in ``parallax/data/``), ``first_names`` is a
packaged list of given names (gender-guesser's dictionary), and ``vote_type`` decides an actor's
type from all the evidence its mentions carry: a title or role before a name ("Sen.", "Homeland
Security Secretary", "spokeswoman") or a known given name says person; a head word such as
"Party", "Department" or "Service" says organisation; a masthead word ("Times", "News") says media;
a list entry settles it outright.

Why: a statistical NER labels each mention on its own and often differently ("Donald Trump" ORG
in one outlet, "Trump" PERSON in another), which split actors and typed senators as media.  The
type is decided once per actor, over every mention, from evidence a reader can check.  The lists
are general knowledge, never names taken from a test text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

TYPES = ("person", "organisation", "armed group", "media", "country", "place", "group")
LABEL_TYPE = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place",
              "NORP": "group"}

# Short English names of countries whose ISO name differs, and well-known alternative names.
SHORT_COUNTRIES = {
    "Russia": "Russia", "Russian Federation": "Russia", "US": "United States", "U.S.": "United States",
    "U.S": "United States", "USA": "United States", "U.S.A.": "United States", "America": "United States",
    "United States of America": "United States", "UK": "United Kingdom", "U.K.": "United Kingdom",
    "Britain": "United Kingdom", "Great Britain": "United Kingdom", "UAE": "United Arab Emirates",
    "U.A.E.": "United Arab Emirates", "USSR": "Soviet Union", "Soviet Union": "Soviet Union",
    "Czech Republic": "Czechia", "Ivory Coast": "Côte d'Ivoire", "Burma": "Myanmar", "Palestine": "Palestine",
    "Macedonia": "North Macedonia", "Vatican": "Holy See", "Vatican City": "Holy See", "Congo": "Congo",
    "Democratic Republic of Congo": "Congo, The Democratic Republic of the",
    "Democratic Republic of the Congo": "Congo, The Democratic Republic of the", "DRC": "Congo, The Democratic Republic of the",
    "East Timor": "Timor-Leste", "Cape Verde": "Cabo Verde", "Swaziland": "Eswatini", "Turkey": "Turkey",
    "Türkiye": "Turkey", "Holland": "Netherlands", "the Netherlands": "Netherlands", "Brunei": "Brunei Darussalam",
    "Kosovo": "Kosovo", "Northern Ireland": "Northern Ireland", "England": "England", "Scotland": "Scotland",
    "Wales": "Wales", "Gaza": "Gaza", "West Bank": "West Bank",
}
# Common English short forms of given names (general knowledge): "Liz Cheney" = "Elizabeth Cheney".
NICKNAMES = {
    "liz": "elizabeth", "beth": "elizabeth", "betsy": "elizabeth", "betty": "elizabeth", "lisa": "elizabeth",
    "bill": "william", "will": "william", "billy": "william", "willie": "william", "bob": "robert", "rob": "robert",
    "bobby": "robert", "bert": "robert", "dick": "richard", "rick": "richard", "rich": "richard",
    "ricky": "richard", "mike": "michael", "mick": "michael", "jim": "james", "jimmy": "james",
    "jamie": "james", "joe": "joseph", "joey": "joseph", "tom": "thomas", "tommy": "thomas", "ted": "edward",
    "ed": "edward", "eddie": "edward", "ned": "edward", "chris": "christopher", "nick": "nicholas",
    "dan": "daniel", "danny": "daniel", "dave": "david", "steve": "steven", "stephen": "steven",
    "tony": "anthony", "andy": "andrew", "drew": "andrew", "alex": "alexander", "sam": "samuel",
    "ben": "benjamin", "bibi": "benjamin", "matt": "matthew", "pat": "patrick", "pete": "peter",
    "greg": "gregory", "jeff": "jeffrey", "geoff": "geoffrey", "jon": "jonathan", "johnny": "john",
    "jack": "john", "hank": "henry", "harry": "henry", "chuck": "charles", "charlie": "charles",
    "fred": "frederick", "larry": "lawrence", "jerry": "gerald", "ron": "ronald", "don": "donald",
    "ken": "kenneth", "tim": "timothy", "newt": "newton", "mitt": "willard", "kate": "katherine",
    "kathy": "katherine", "cathy": "catherine", "sue": "susan", "suzy": "susan", "jen": "jennifer",
    "jenny": "jennifer", "meg": "margaret", "maggie": "margaret", "peggy": "margaret", "debbie": "deborah",
    "deb": "deborah", "barb": "barbara", "nancy": "ann", "annie": "ann", "anne": "ann", "vicky": "victoria",
    "becky": "rebecca", "abby": "abigail", "al": "albert", "gabe": "gabriel", "vince": "vincent",
    "nate": "nathan", "zach": "zachary", "josh": "joshua", "jake": "jacob", "sandy": "sandra",
}
# Titles and honorifics written before a person's name, and role nouns that name a person's job.
HONORIFICS = frozenset("""mr mrs ms miss dr prof sen sens senator rep reps representative gov governor gen general
col colonel lt maj major capt captain sgt adm admiral marshal president vice pres premier chancellor
king queen prince princess sheikh pope rev reverend judge justice ambassador mayor sir dame lord lady
speaker secretary minister commissioner attorney sheriff councilman councilwoman congressman congresswoman
chairman chairwoman chair ceo director spokesman spokeswoman spokesperson commander chief leader
lawmaker nominee candidate founder officer agent detective inspector superintendent dean rabbi imam
bishop cardinal father sister brother deputy assistant aide adviser advisor strategist pollster
host anchor correspondent columnist editor reporter author economist analyst professor""".split())
# Words that end an organisation's name.
ORG_HEADS = frozenset("""party department agency committee commission council service bureau office
ministry administration association union university college institute foundation center centre
coalition corporation corp inc co company companies bank court league organization organisation board
authority assembly parliament congress senate house federation fund alliance society club conference
caucus movement front campaign project trust group industries airlines school academy hospital church
police guard navy corps command""".split())
MEDIA_HEADS = frozenset("""times post news journal herald tribune gazette magazine telegraph chronicle
radio tv television broadcasting wire newspaper courier observer examiner inquirer review monitor
register report reporter""".split())
ARMED = re.compile(r"\b(army|armed forces|forces|militia|militias|brigade|brigades|battalion|mercenaries|rebels)\b", re.I)
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}[A-Z]?\.?$|^[A-Z][A-Z&]{1,6}$")


def given(name: str) -> str:
    """The formal given name a short form stands for ("Liz" -> "elizabeth"), folded."""
    f = fold(name).rstrip(".")
    return NICKNAMES.get(f, f)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Case-folded, accent-free, with typographic quotes made plain."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """The canonical key of an actor name: folded, no leading "the", no dots, single spaces.
    Deterministic, so the same actor gets the same key in every outlet and every story."""
    k = fold(name).strip()
    k = re.sub(r"^the\s+", "", k)
    k = re.sub(r"'s$", "", k)
    k = k.replace(".", "")
    k = re.sub(r",\s*[a-z]{2}$", "", k)  # "Fort Lee, N.J." -> "fort lee"
    return " ".join(re.sub(r"[\"“”,;:]", " ", k).split())


def _read_list(filename: str) -> dict[str, str]:
    out: dict[str, str] = {}
    text = resources.files("parallax").joinpath("data", filename).read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names = [n.strip() for n in line.split("|") if n.strip()]
        for n in names:
            out.setdefault(name_key(n), names[0])
    return out


@lru_cache(maxsize=1)
def media_names() -> dict[str, str]:
    """Key -> canonical name of news organisations and agencies (``data/news_orgs.txt``)."""
    return _read_list("news_orgs.txt")


@lru_cache(maxsize=1)
def agency_names() -> dict[str, str]:
    """Key -> canonical name of public bodies, parties and international organisations."""
    return _read_list("agencies.txt")


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Key -> short English name of every country (pycountry) and common alternative names."""
    import pycountry

    out: dict[str, str] = {}
    for c in pycountry.countries:
        short = getattr(c, "common_name", None) or c.name.split(",")[0].split("(")[0].strip()
        for n in (c.name, short, getattr(c, "official_name", None)):
            if n:
                out.setdefault(name_key(n), short)
    for alias, target in SHORT_COUNTRIES.items():
        out[name_key(alias)] = out.get(name_key(target), target)
    return out


@lru_cache(maxsize=1)
def region_names() -> dict[str, str]:
    """Key -> name of US states and territories (pycountry subdivisions) and their postal and
    AP-style abbreviations are not included (too ambiguous as words)."""
    import pycountry

    return {name_key(s.name): s.name for s in pycountry.subdivisions.get(country_code="US")}


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Folded given names from gender-guesser's dictionary (about 40,000 names; empty when the
    package is missing, and then no vote is cast from given names)."""
    try:
        path = resources.files("gender_guesser").joinpath("data", "nam_dict.txt")
        text = path.read_text(encoding="utf-8", errors="replace")
    except (ModuleNotFoundError, FileNotFoundError):
        return frozenset()
    out = set()
    for line in text.splitlines():
        if line[:1] in "#=" or len(line) < 30 or line[0] not in "MF?1":
            continue
        name = line[3:29].strip()
        if name and "+" not in name and " " not in name and name[:1].isupper():
            out.add(fold(name))
    return frozenset(out)


@lru_cache(maxsize=200_000)
def known(name: str) -> tuple[str, str] | None:
    """``(type, canonical name)`` when a general list knows the name, else None."""
    k = name_key(name)
    if not k:
        return None
    if k in media_names():
        return "media", media_names()[k]
    if k in country_names():
        return "country", country_names()[k]
    if k in region_names():
        return "place", region_names()[k]
    if k in agency_names():
        return "organisation", agency_names()[k]
    return None


@lru_cache(maxsize=1)
def gazetteer() -> re.Pattern[str]:
    """One pattern matching, as whole words and case-sensitively, every name of the media and
    organisation lists (longest first); ``extract_mentions`` uses it to find names the NER missed."""
    names: set[str] = set()
    for filename in ("news_orgs.txt", "agencies.txt"):
        text = resources.files("parallax").joinpath("data", filename).read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.strip() and not line.startswith("#"):
                names.update(n.strip() for n in line.split("|") if len(n.strip()) > 2)
    alts = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(n) for n in alts) + r")(?![\w-])")


def is_acronym(name: str) -> bool:
    return bool(_ACRONYM.match(name.strip()))


@lru_cache(maxsize=200_000)
def has_given_name(name: str) -> bool:
    """A name of two or more words whose first word is a known given name ("Chris Wray")."""
    words = [w for w in name.split() if w.rstrip(".").lower() not in HONORIFICS]
    if words and words[0].lower() in ("the", "a", "an"):
        return False
    return len(words) >= 2 and fold(words[0]) in first_names() and words[-1][:1].isupper()


def name_votes(name: str) -> Counter[str]:
    """Evidence the name itself carries, whatever the sentence around it."""
    votes: Counter[str] = Counter()
    words = name.split()
    last = fold(words[-1]).strip(".") if words else ""
    if has_given_name(name):
        votes["person"] += 2
    if len(words) >= 2 and last in MEDIA_HEADS:
        votes["media"] += 3
    elif len(words) >= 2 and last in ORG_HEADS:
        votes["organisation"] += 3
    if is_acronym(name) and name_key(name) not in country_names():
        votes["organisation"] += 1
    return votes


def context_votes(before: str) -> Counter[str]:
    """Evidence from the words just before a mention ("Sen.", "Homeland Security Secretary")."""
    votes: Counter[str] = Counter()
    words = re.findall(r"[A-Za-z]+\.?", before)[-3:]
    if words and words[-1].rstrip(".").lower() in HONORIFICS:
        votes["person"] += 3
    return votes


def vote_type(labels: Iterable[str], evidence: Counter[str], names: Iterable[str]) -> str:
    """The actor type: a list entry of its canonical name settles it; otherwise entity labels
    (one vote per mention) plus weighted evidence, ties broken in ``TYPES`` order."""
    names = list(names)
    labels = list(labels)
    hit = next((h for h in map(known, names) if h), None)
    persons = sum(1 for label in labels if label == "PERSON") + evidence.get("person", 0)
    if hit and 2 * persons > len(labels) and any(has_given_name(n) for n in names):
        hit = None  # "Michael Bloomberg" and "Bloomberg": the person, not the outlet
    if hit and (hit[0] in ("media", "organisation") or 2 * persons <= len(labels)):
        return hit[0]  # a list entry, unless most mentions are a person's ("President Washington")
    votes: Counter[str] = Counter()
    for label in labels:
        votes[LABEL_TYPE.get(label, "organisation")] += 1
    votes.update(evidence)
    for n in names:
        votes.update(name_votes(n))
    if votes.get("person", 0) and votes["person"] >= max(votes.values()):
        return "person"
    # a full name opening with a given name, called a person at least once, and no organisation
    # word in it: the NER's other labels for it are noise ("Hutchinson said" tagged ORG)
    if persons and any(has_given_name(n) and not name_votes(n).get("organisation") and not name_votes(n).get("media")
                       for n in names):
        return "person"
    kind = max(TYPES, key=lambda t: (votes.get(t, 0), -TYPES.index(t)))
    if kind == "organisation" and names and ARMED.search(names[0]):
        return "armed group"
    return kind
