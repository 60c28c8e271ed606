"""The cue lexicon of relation types, built from general-English verb classes.

What: for each relation type (supports, opposes, meets, calls_on, accuses, cooperates, commands) the
verbs, particle/preposition verbs, nouns and adjectives that express it, hand-curated from general
verb classes (judgement verbs, verbs of aiding, of combat and obstruction, of social interaction, of
request and order, of leadership), written as lemmas the way spaCy's ``en_core_web_sm`` produces them
and looked up through :func:`verb_type` / :func:`noun_type`, which also try the spelling variants
spaCy's lemmatiser yields for unknown words ("lambasted" -> "lambast", "extolled" -> "extoll",
"dined" -> "din").  Also here: verbs that take an object and a ``to``-infinitive whose subject is
that object (object control: "urged X to cancel", "invited X to meet"), verbs whose clause
complement is a demand ("said X should ...", "hoped X would ..."), hedges and refusals.
Why: coverage from classes of meaning, not from the examples of one story; no names, no phrases of
any test text.  WordNet through an offline package is not available in this environment (no
package here ships its data), so the classes are written out.
"""

from __future__ import annotations

PREDICATES = ("supports", "opposes", "meets", "calls_on", "accuses", "cooperates", "commands")
POLARITY = {"supports": 1, "opposes": -1, "meets": 0, "calls_on": 0, "accuses": -1, "cooperates": 1, "commands": 0}
SYMMETRIC = {"meets", "cooperates"}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- verbs: lemma -> relation type -----------------------------------------------------------------

_VERB_CLASSES = {
    # aiding, endorsing, praising (Levin 'judgement' verbs of approval, 'help' verbs)
    "supports": _words("""
        back support endorse arm fund finance aid help recognise recognize defend protect champion bankroll
        assist praise congratulate hail applaud commend thank laud extol salute tout embrace vouch favor favour
        prefer sponsor subsidize subsidise equip bolster uphold reinforce rescue shield admire respect
        compliment acclaim celebrate honor honour reward reassure empower"""),
    # combat, obstruction, rejection, rivalry
    "opposes": _words("""
        fight oppose bomb besiege counter combat sanction invade strike target resist threaten battle shell deter
        sue block defeat topple oust shun snub spurn rebuff undermine obstruct thwart sabotage impeach unseat
        defy boycott confront challenge reject veto raid ambush shoot attack assault bombard blockade
        overthrow depose expel punish retaliate outlaw ban prosecute indict beat
        vanquish outvote filibuster stop derail stymie hamper hinder impede contest dispute"""),
    # social interaction of meeting
    "meets": _words("meet host visit negotiate phone telephone confer huddle dine greet"),
    # request, order, advice (verbs of asking and ordering)
    "calls_on": _words("""
        ask urge invite press request appeal court lure implore beg petition pressure push encourage exhort
        entreat beseech lobby nudge prod summon instruct order direct advise warn persuade dare demand
        challenge pester badger goad coax cajole plead tell remind"""),
    # verbal criticism (judgement verbs of disapproval)
    "accuses": _words("""
        accuse blame criticise criticize condemn slam denounce rebuke chastise castigate fault decry lambaste
        berate scold admonish censure reprimand assail blast bash ridicule mock deride disparage belittle insult
        smear vilify demonize demonise excoriate chide upbraid skewer lampoon taunt scorn impugn slander libel
        defame malign denigrate trash heckle savage reproach"""),
    "cooperates": _words("cooperate partner ally collaborate coordinate unite"),
    "commands": _words("command lead head chair"),
}
# verbs whose class depends on a direct object (a request verb with no addressee is not a relation)
_NEEDS_INFINITIVE = {"tell", "remind", "warn", "advise", "direct", "order", "instruct", "dare", "challenge",
                     "push", "press", "encourage", "ask", "plead"}
VERBS: dict[str, str] = {}
for _pred, _ws in _VERB_CLASSES.items():
    for _w in _ws:
        VERBS.setdefault(_w, _pred)
# a verb in two classes: the request reading needs a to-infinitive ("challenged X to a debate" /
# "challenged X to debate"); bare "challenged X" is opposition
DUAL = {"challenge": ("opposes", "calls_on"), "press": ("calls_on", "calls_on"), "push": ("calls_on", "calls_on"),
        "attack": ("opposes", "accuses"), "subpoena": ("calls_on", "calls_on")}

# (lemma, particle or preposition) -> relation type; the object is that preposition's object
PHRASAL = {
    ("call", "on"): "calls_on", ("call", "upon"): "calls_on", ("call", "for"): "calls_on",
    ("appeal", "to"): "calls_on", ("plead", "with"): "calls_on", ("lean", "on"): "calls_on",
    ("stick", "by"): "supports", ("stand", "by"): "supports", ("side", "with"): "supports",
    ("stand", "with"): "supports", ("rally", "behind"): "supports", ("rally", "around"): "supports",
    ("campaign", "for"): "supports", ("stump", "for"): "supports", ("vote", "for"): "supports",
    ("speak", "for"): "supports", ("root", "for"): "supports", ("vouch", "for"): "supports",
    ("talk", "with"): "meets", ("talk", "to"): "meets", ("speak", "to"): "meets", ("speak", "with"): "meets",
    ("sit", "with"): "meets", ("confer", "with"): "meets", ("meet", "with"): "meets", ("dine", "with"): "meets",
    ("din", "with"): "meets", ("huddle", "with"): "meets", ("consult", "with"): "meets",
    ("work", "with"): "cooperates", ("team", "with"): "cooperates", ("join", "with"): "cooperates",
    ("partner", "with"): "cooperates", ("ally", "with"): "cooperates", ("align", "with"): "cooperates",
    ("turn", "against"): "opposes", ("fire", "at"): "opposes", ("run", "against"): "opposes",
    ("campaign", "against"): "opposes", ("vote", "against"): "opposes", ("rebel", "against"): "opposes",
    ("fight", "against"): "opposes", ("work", "against"): "opposes", ("move", "against"): "opposes",
    ("rule", "against"): "opposes", ("retaliate", "against"): "opposes", ("clash", "with"): "opposes",
    ("feud", "with"): "opposes", ("break", "with"): "opposes", ("side", "against"): "opposes",
    ("rail", "against"): "accuses", ("lash", "at"): "accuses", ("hit", "at"): "accuses", ("take", "at"): "accuses",
    ("go", "after"): "accuses", ("lay", "into"): "accuses", ("tear", "into"): "accuses", ("rip", "into"): "accuses",
    ("speak", "against"): "accuses", ("speak", "out"): "accuses", ("snipe", "at"): "accuses",
    ("jab", "at"): "accuses", ("swipe", "at"): "accuses", ("point", "at"): "accuses", ("blame", "on"): "accuses",
    ("disagree", "with"): "accuses", ("fire", "back"): "accuses", ("hit", "back"): "accuses",
    ("lash", "out"): "accuses", ("strike", "back"): "accuses", ("push", "back"): "accuses",
}
# a particle verb whose object is the object of a following preposition ("lashed out at X",
# "spoke out against X", "fired back at X")
PARTICLE_PREPS = {"at", "against", "on", "with"}

# --- nouns -----------------------------------------------------------------------------------------

_NOUN_CLASSES = {
    "supports": _words("""
        support backing endorsement recognition praise aid patronage preference assistance help sponsorship
        funding admiration approval blessing defense defence loyalty tribute compliment vote"""),
    "opposes": _words("""
        opposition offensive siege assault invasion war campaign lawsuit sanctions sanction challenge
        rivalry feud fight battle boycott snub rejection resistance veto impeachment blockade strike raid
        crackdown suit indictment investigation probe"""),
    "meets": _words("meeting talks negotiations summit visit call conversation meetings sit-down audience"),
    "calls_on": _words("invitation demand request appeal plea ultimatum pressure summons subpoena urging"),
    "accuses": _words("""
        criticism condemnation accusation rebuke broadside tirade diatribe denunciation ridicule mockery
        scorn insult smear jab swipe salvo allegation complaint censure reprimand reproach attack attacks
        critique barb"""),
    "cooperates": _words("cooperation alliance partnership collaboration coalition pact"),
}
NOUNS: dict[str, str] = {}
for _pred, _ws in _NOUN_CLASSES.items():
    for _w in _ws:
        NOUNS.setdefault(_w, _pred)
NOUNS["attack"] = "opposes"  # hostile action; on a person it is read as criticism (see relations.py)
# person nouns whose possessor or "of" phrase is the other party: "a critic of X" -> holder accuses X
AGENT_NOUNS = {
    "critic": ("accuses", "holder"), "detractor": ("accuses", "holder"), "accuser": ("accuses", "holder"),
    "supporter": ("supports", "holder"), "backer": ("supports", "holder"), "ally": ("cooperates", "holder"),
    "defender": ("supports", "holder"), "champion": ("supports", "holder"), "admirer": ("supports", "holder"),
    "partner": ("cooperates", "holder"), "opponent": ("opposes", "holder"), "rival": ("opposes", "holder"),
    "challenger": ("opposes", "holder"), "foe": ("opposes", "holder"), "enemy": ("opposes", "holder"),
    "adversary": ("opposes", "holder"), "nemesis": ("opposes", "holder"),
}
# verbs whose subject *receives* the relation named by their object noun ("drew criticism from X")
RECEIVING = {"win", "receive", "get", "secure", "earn", "gain", "draw", "face", "attract", "garner", "invite",
             "accept", "court", "weather", "endure", "suffer", "take"}
# verbs whose subject *holds* the relation named by their object noun ("stepped up his attacks on X")
HOLDING = {"voice", "express", "give", "offer", "pledge", "lend", "announce", "launch", "file", "step", "lay",
           "mount", "wage", "begin", "switch", "shift", "throw", "hold", "have", "show", "issue", "make", "extend",
           "level", "unleash", "escalate", "intensify", "renew", "deliver", "send", "repeat", "continue",
           "arrange", "schedule", "plan", "seek", "request"}

ADJECTIVES = {("close", "to"): "cooperates", ("allied", "to"): "cooperates", ("allied", "with"): "cooperates",
              ("loyal", "to"): "supports", ("hostile", "to"): "opposes", ("opposed", "to"): "opposes",
              ("aligned", "with"): "cooperates", ("friendly", "to"): "supports", ("supportive", "of"): "supports",
              ("sympathetic", "to"): "supports", ("critical", "of"): "accuses", ("dismissive", "of"): "accuses",
              ("scornful", "of"): "accuses", ("contemptuous", "of"): "accuses", ("harsh", "on"): "accuses",
              ("tough", "on"): "accuses", ("furious", "with"): "accuses", ("angry", "with"): "accuses",
              ("angry", "at"): "accuses", ("grateful", "to"): "supports", ("indebted", "to"): "supports"}
# adjectives before a noun that make it a relation noun ("critical comments about X")
CRITICAL_ADJECTIVES = {"critical": "accuses", "derogatory": "accuses", "disparaging": "accuses",
                       "scathing": "accuses", "harsh": "accuses", "insulting": "accuses", "withering": "accuses"}
# verbs of naming: "called X's speech 'a stunt'", "branded X a liar" criticise X when the name is
# pejorative (the framing lexicon's loaded words and name-calling, and these)
NAMING_VERBS = {"call", "brand", "label", "dub", "describe", "term", "deem", "declare"}
PEJORATIVES = {"unacceptable", "destructive", "disgrace", "disgraceful", "outrageous", "mistake", "failure",
               "embarrassment", "shameful", "reckless", "irresponsible", "dishonest", "incompetent", "unfit",
               "dangerous", "hypocritical", "hypocrisy", "toxic", "tawdry", "lie", "lies", "fraud", "sham", "hoax"}
SPEECH_NOUNS = {"comment", "remark", "statement", "word", "attack", "criticism", "tweet", "post", "ad", "message",
                "speech", "letter", "op-ed", "editorial"}

# --- argument structure ----------------------------------------------------------------------------

# object control: the object of these verbs is the subject of their to-infinitive ("urged X to meet Y":
# X meets Y, hedged); also the verbs of calls_on whose addressee is that object
OBJECT_CONTROL = {"urge", "ask", "invite", "press", "pressure", "push", "encourage", "tell", "order", "direct",
                  "instruct", "advise", "warn", "persuade", "convince", "force", "compel", "allow", "permit",
                  "help", "call", "implore", "beg", "lobby", "nudge", "prod", "challenge", "dare", "remind",
                  "want", "expect", "need", "require", "get", "appeal", "plead", "petition", "summon", "exhort",
                  "entreat", "beseech", "court", "lure", "demand", "request"}
# verbs whose clause complement names whom they ask ("suggested that X drop out", "said X should go")
ASKING = {"suggest", "urge", "ask", "demand", "insist", "press", "request", "recommend", "propose", "plead",
          "argue", "tweet", "write", "say", "tell", "add", "hope", "want", "wish", "warn", "declare", "post"}
# the modal that turns a reported clause into a demand; "hope"/"wish"/"want" need only "would"
DEMAND_MODALS = {"should", "must", "ought", "needs"}
WISH_VERBS = {"hope", "wish", "want"}
# questions and reports of being asked: "asked if X should", "asked whether" carry no demand
QUESTION_MARKERS = {"if", "whether"}
# verbs of refusal: their infinitive is negated ("refused to back X")
REFUSAL = {"refuse", "decline", "deny", "reject", "resist", "balk", "rule"}

HEDGE_ADVERBS = {"reportedly", "allegedly", "apparently", "seemingly", "purportedly", "supposedly", "possibly",
                 "perhaps", "likely"}
HEDGE_VERBS = {"seem", "appear", "plan", "intend", "hope", "want", "vow", "pledge", "promise", "expect",
               "consider", "propose", "threaten", "offer", "seek", "aim", "prepare", "schedule", "invite", "urge",
               "ask", "call", "press", "pressure", "push", "encourage", "demand", "accept"}
HEDGE_MODALS = {"may", "might", "could", "would", "will", "should", "must"}


def _variants(lemma: str) -> tuple[str, ...]:
    """Spellings a spaCy lemma of a rare verb may take: "lambast" for "lambaste", "extoll" for
    "extol", "din" for "dine"."""
    low = lemma.lower()
    out = [low]
    if low.endswith("e"):
        out.append(low[:-1])
    else:
        out.append(low + "e")
    if len(low) > 3 and low[-1] == low[-2]:
        out.append(low[:-1])
    return tuple(out)


def verb_type(lemma: str) -> str | None:
    """The relation type of a verb lemma, or None."""
    for v in _variants(lemma):
        if v in VERBS:
            return VERBS[v]
    return None


def base(lemma: str) -> str:
    """The lexicon spelling of a lemma (``lambast`` -> ``lambaste``), else the lemma lower-cased."""
    for v in _variants(lemma):
        if v in VERBS or v in OBJECT_CONTROL or v in ASKING:
            return v
    return lemma.lower()


def phrasal_type(lemma: str, word: str) -> str | None:
    for v in _variants(lemma):
        p = PHRASAL.get((v, word.lower()))
        if p:
            return p
    return None


def noun_type(lemma: str, lower: str) -> str | None:
    return NOUNS.get(lemma.lower()) or NOUNS.get(lower)
