"""Word lists for the framing detector (``parallax.analysis.framing``).

Every list is general English written for this project: no entry names a person, place or
event, so the detector behaves the same on any story.  Each category has a default weight (see
``framing.CATEGORIES``); an entry may carry its own weight when it is weaker or stronger than
the rest of its category.  Single words are matched case-insensitively with light inflection
(``slam`` also matches ``slams``, ``slammed``, ``slamming``); a trailing ``*`` makes an entry a
prefix (``demoni*`` matches ``demonise``, ``demonized``, ``demonization``).  Phrases are matched
as whole words with any run of spaces between them.

Why these categories: a reporter's sentence tells who did what and attributes judgements to
sources; an editorialising sentence carries the writer's own stance, which surfaces as a first
person ("we had a hand in it"), stock sarcastic or knowing formulas ("so naturally",
"needless to say"), hyperbole and idiom ("back to the Stone Age"), comment adverbs that grade
the fact ("famously", "conveniently") and loaded or pejorative vocabulary ("regime", "thugs").
"""

from __future__ import annotations

# --- first-person editorial voice ------------------------------------------------------------
# Outside quotes, a news report has no first person; "I", "we", "us" and "our" are the writer.
# "US" (United States) is excluded by matching ``us`` only in lower case.
FIRST_PERSON = frozenset({
    "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves",
})

# --- sarcastic and editorial formulas ----------------------------------------------------------
# Stock phrases a writer uses to comment on the news rather than report it.  Weight 1.0 unless
# given: "it appears" and "of course" also occur as plain hedges, so they count as weak cues.
FORMULAS: dict[str, float] = {
    "this is all we need": 1.0,
    "just what we need": 1.0,
    "just what the world needs": 1.0,
    "so naturally": 1.0,
    "it should be noted": 1.0,
    "it must be noted": 1.0,
    "it is worth noting": 0.75,
    "it's worth noting": 0.75,
    "needless to say": 1.0,
    "it goes without saying": 1.0,
    "make no mistake": 1.0,
    "let's be clear": 1.0,
    "let us be clear": 1.0,
    "let that sink in": 1.0,
    "what could possibly go wrong": 1.0,
    "surprise, surprise": 1.0,
    "lo and behold": 1.0,
    "go figure": 1.0,
    "you guessed it": 1.0,
    "as if that": 1.0,
    "of all people": 1.0,
    "of all things": 1.0,
    "believe it or not": 1.0,
    "mind you": 1.0,
    "to be sure": 0.75,
    "to put it mildly": 1.0,
    "to say the least": 1.0,
    "truth be told": 1.0,
    "the irony is": 1.0,
    "ironically enough": 1.0,
    "not surprisingly": 0.75,
    "unsurprisingly": 0.75,
    "predictably": 0.75,
    "conveniently": 0.75,
    "tellingly": 0.75,
    "sure enough": 0.75,
    "in other words": 0.5,
    "of course": 0.5,
    "it appears": 0.5,
    "it seems": 0.5,
    "apparently": 0.5,
    "no wonder": 1.0,
    "the question is": 0.75,
    "the real question": 1.0,
    "the fact of the matter": 1.0,
    "it's no secret": 1.0,
    "it is no secret": 1.0,
    "it remains to be seen": 0.5,
    "one wonders": 1.0,
    "one might ask": 1.0,
    "one has to wonder": 1.0,
    "you have to wonder": 1.0,
    "you can't make this up": 1.0,
    "if you can believe it": 1.0,
    "heaven forbid": 1.0,
    "god forbid": 1.0,
    "for what it's worth": 1.0,
}

# --- hyperbole and idiom -------------------------------------------------------------------------
# Colourful, exaggerating or dismissive idiom that a wire report would not use.
HYPERBOLE: dict[str, float] = {
    "back to the stone age": 1.0,
    "into the stone age": 1.0,
    "smack dab": 1.0,
    "smack in the middle": 1.0,
    "yet another": 0.5,
    "in the first place": 0.5,
    "the mother of all": 1.0,
    "all hell broke loose": 1.0,
    "wreak havoc": 0.75,
    "wreaked havoc": 0.75,
    "wreaking havoc": 0.75,
    "reign of terror": 1.0,
    "tip of the iceberg": 0.75,
    "the last straw": 0.75,
    "on steroids": 1.0,
    "powder keg": 0.75,
    "witch hunt": 1.0,
    "house of cards": 1.0,
    "train wreck": 1.0,
    "perfect storm": 0.75,
    "nothing short of": 1.0,
    "of epic proportions": 1.0,
    "through the roof": 0.75,
    "in tatters": 0.75,
    "hell-bent": 1.0,
    "hell bent": 1.0,
    "at all costs": 0.5,
    "by any means necessary": 0.75,
    "lock, stock and barrel": 1.0,
    "tooth and nail": 0.75,
    "bent over backwards": 1.0,
    "bend over backwards": 1.0,
    "drop in the bucket": 1.0,
    "slap in the face": 1.0,
    "slap on the wrist": 1.0,
    "kick the can down the road": 1.0,
    "pie in the sky": 1.0,
    "the elephant in the room": 1.0,
    "a dime a dozen": 1.0,
    "dog and pony show": 1.0,
    "circus": 0.5,
    "bloodbath": 0.75,
    "meltdown": 0.5,
    "debacle": 0.75,
    "fiasco": 0.75,
    "nightmare": 0.5,
    "apocalyptic": 0.75,
    "doomsday": 0.5,
    "armageddon": 0.75,
    "hellhole": 1.0,
    "hellscape": 1.0,
    "cesspool": 1.0,
    "quagmire": 0.5,
    "mess": 0.5,
    "chaos": 0.5,
    "chaotic": 0.5,
    "catastrophe": 0.5,
    "catastrophic": 0.5,
    "disaster": 0.5,
    "disastrous": 0.5,
    "unprecedented": 0.25,
    "once-in-a-generation": 0.5,
    "war on": 0.5,
    "in the middle of nowhere": 1.0,
    "left and right": 0.75,
    "pulling the strings": 1.0,
    "pull the strings": 1.0,
    "doubled down": 0.5,
    "doubling down": 0.5,
    "double down": 0.5,
}

# --- intensifiers and evaluative adverbs ---------------------------------------------------------
# Words that grade a fact instead of stating it.  Comment adverbs that carry the writer's
# judgement of the whole statement ("famously", "naturally", "clearly") weigh more than plain
# degree words ("very", "extremely").
INTENSIFIERS: dict[str, float] = {
    "famously": 0.75, "notoriously": 0.75, "naturally": 0.5, "clearly": 0.5, "obviously": 0.75,
    "evidently": 0.5, "undoubtedly": 0.5, "undeniably": 0.75, "unquestionably": 0.75,
    "certainly": 0.25, "surely": 0.75, "frankly": 0.75, "honestly": 0.5, "bizarrely": 0.75,
    "ironically": 0.75, "curiously": 0.5, "strangely": 0.5, "oddly": 0.5, "amazingly": 0.75,
    "incredibly": 0.5, "astonishingly": 0.75, "shockingly": 0.75, "stunningly": 0.75,
    "remarkably": 0.5, "laughably": 1.0, "absurdly": 0.75, "ridiculously": 0.75,
    "outrageously": 0.75, "shamelessly": 0.75, "brazenly": 0.75, "blatantly": 0.75,
    "flagrantly": 0.75, "recklessly": 0.5, "desperately": 0.5, "wildly": 0.5, "insanely": 0.75,
    "utterly": 0.5, "totally": 0.5, "completely": 0.25, "absolutely": 0.5, "extremely": 0.5,
    "hugely": 0.5, "massively": 0.5, "vastly": 0.25, "deeply": 0.25, "terribly": 0.5,
    "horribly": 0.5, "dramatically": 0.5, "drastically": 0.5, "aggressively": 0.5,
    "radically": 0.5, "woefully": 0.75, "sorely": 0.5, "painfully": 0.5, "pathetically": 1.0,
    "hopelessly": 0.5, "grossly": 0.5, "wholly": 0.25, "fundamentally": 0.25, "supposedly": 0.5,
    "purportedly": 0.25, "ostensibly": 0.5, "mere": 0.5, "merely": 0.25,
    "simply": 0.25, "really": 0.25, "actually": 0.25, "indeed": 0.25, "truly": 0.5, "downright": 0.75,
    "outright": 0.5, "sheer": 0.5, "whopping": 0.75, "staggering": 0.25, "astounding": 0.5,
    "mind-boggling": 1.0, "jaw-dropping": 1.0, "breathtaking": 0.5, "unbelievable": 0.75,
    "incredible": 0.5, "tremendous": 0.5, "enormous": 0.25, "massive": 0.5, "huge": 0.25,
    "endless": 0.5, "relentless": 0.5, "constant": 0.25, "never-ending": 0.75, "countless": 0.5,
    "obvious": 0.5, "blatant": 0.75, "flagrant": 0.75, "glaring": 0.5, "shameless": 0.75,
    "brazen": 0.75, "naked": 0.25, "dire": 0.5, "grim": 0.25, "stark": 0.25, "fierce": 0.25,
}

# --- loaded and pejorative words -----------------------------------------------------------------
# Vocabulary that labels or judges: name-calling, demonising nouns, pejorative adjectives and the
# attack verbs of opinion journalism.  Default weight 0.5 (a weak cue: one loaded word alone does
# not flag a sentence; two do).  Contested-but-common news vocabulary is weighted lower.
LOADED: dict[str, float] = {w: 0.5 for w in """
regime junta despot* tyrant* tyranny tyrannical dictator dictatorial autocrat* authoritarian
strongman warlord thug thuggish goon henchman henchmen crony cronies cronyism stooge puppet
lackey minion shill pawn mouthpiece propaganda propagandist* indoctrinat* brainwash* cult
cultish zealot* fanatic* fanatical extremist* extremism radical radicals radicalism radicalized
militant jihadi* firebrand agitator* demagogue* rabble-rouser mob mobs rabble horde hordes
gang gangster* criminal criminals crook crooks corrupt corruption kleptocra* grifter* swindl*
con-man conman fraudster hoax scam sham charade farce travesty fake phony phoney bogus fraud
lie lies liar liars lying lied deceit* deceptive dishonest disingenuous hypocrite*
hypocrisy hypocritical smear* slander* libel* demoni* vilif* scapegoat* fearmonger* fearmonger
scaremonger* alarmist* hysteria hysterical paranoi* conspiracy conspiratorial
crackpot nutjob lunatic* loon loony kook* madman maniac* idiot* moron* imbecile stupid dumb
clown clownish buffoon* fool foolish ignorant ignorance inept ineptitude incompeten* bumbling
hapless clueless pathetic laughable ludicrous ridiculous absurd absurdity preposterous
nonsensical nonsense outrageous outrage outraged scandalous shameful disgrace* disgusting
despicable deplorable reprehensible contemptible vile odious heinous abhorrent abominable
appalling atrocious horrific horrendous horrifying monstrous monster* barbaric barbarian*
savage* brutal brutality brutally bloodthirsty murderous ruthless vicious sinister nefarious
malicious evil wicked diabolical villain* menace menacing dangerous toxic poisonous venomous
hateful hatred hatemonger bigot* bigoted bigotry racist* xenophob* sexist misogyn* homophob*
supremacist* fascist* fascism nazi* marxist* communist* socialist* leftist* rightist
far-left far-right hard-left hard-right ultra-left ultra-right alt-right woke snowflake*
elitist elites globalist* establishment neocon* warmonger* hawkish interventionist
imperialist* imperialism colonialist neocolonial* hegemon* hegemony invader* invasion occupier*
occupation aggressor aggression belligerent bellicose saber-rattling sabre-rattling
provocation* provocative inflammatory incendiary divisive polariz* polaris* inflame* stoke
stoked stoking fuel fueled fuelled fueling fuelling spew* rant ranting rants rambling tirade
diatribe screed harangu* bluster* blustering bombast* grandstand* posturing pander* pandering
boast* brag* bragging gloat* sneer* scoff* mock* ridicul* lambast* blast blasted slam slammed
slamming rip ripped ripping savag* trash trashed bash bashed bashing berat* excoriat*
castigat* skewer* eviscerat* torch torched lash lashed lashing tout touted touting peddl*
hawk* push pushed pushing parrot parroted parroting regurgitat* cling clinging meddl*
meddling interfer* collud* collusion plot* scheme* scheming ploy gambit stunt cabal clique
insider* crony* rig rigged rigging hijack* weaponiz* weaponis* exploit exploited exploiting
exploitation cash-grab grab grabbed power-grab land-grab bully* bullied intimidat* coerc*
blackmail* extort* bribe* bribery kickback* plunder* loot* ravag* devastat* destroy* destruction
decimat* annihilat* obliterat* crush crushed crushing cripple crippled crippling gut gutted
gutting slash slashed slashing cave caved caving capitulat* kowtow* grovel* beg begged begging
cower* flee fled meltdown panic panicked panicking scramble scrambled scrambling desperate
desperation reckless recklessly dubious shady murky questionable controversial notorious
infamous disgraced embattled beleaguered besieged troubled failed failing flailing floundering
doomed collapse collapsing crumbling decline declining crisis crises catastroph* calamit*
draconian heavy-handed iron-fisted crackdown clampdown repress* oppress* persecut*
authoritarianism censor* silenc* muzzl* gag gagged totalitarian* orwellian dystopian
illegal illegals alien aliens invasion infest* swarm swarming flood flooding influx
anti-american unpatriotic traitor* treason treasonous treacherous betray* sellout sell-out
radicalis* terror terrorist* terrorism murder* massacre* slaughter* butcher* genocid*
atrocit* war-torn bloodshed carnage mayhem havoc rampage rampant
obsess* fixat* delusion* deranged unhinged crazed crazy insane insanity madness mad
irrational erratic bizarre weird strange
""".split()}
LOADED.update({
    # contested or frequent in straight reporting: weaker
    "claim": 0.25, "claims": 0.25, "claimed": 0.25, "claiming": 0.25, "allegedly": 0.25,
    "regime": 0.75, "propaganda": 0.75, "thug": 0.75, "puppet": 0.75, "so-called": 0.75,
    "crisis": 0.25, "crises": 0.25, "controversial": 0.25, "failed": 0.25, "failing": 0.25,
    "troubled": 0.25, "push": 0.0, "pushed": 0.0, "pushing": 0.0, "fuel": 0.25, "collapse": 0.25,
    "decline": 0.0, "declining": 0.0, "occupation": 0.25, "invasion": 0.25, "aggression": 0.25,
    "establishment": 0.25, "elites": 0.5, "terror": 0.25, "terrorist*": 0.25,
    "terrorism": 0.0, "murder*": 0.25, "flee": 0.0, "fled": 0.0, "destroy*": 0.25,
    "destruction": 0.25, "cave": 0.25, "gut": 0.25, "slash": 0.25, "slashed": 0.25,
    "slashing": 0.25, "crackdown": 0.25, "dangerous": 0.25, "criminal": 0.25, "criminals": 0.25,
    "fraud": 0.25, "corruption": 0.25, "conspiracy": 0.25, "strange": 0.25, "weird": 0.5,
    "mad": 0.25, "plot*": 0.25, "scheme*": 0.25, "gang": 0.25, "militant": 0.25, "hawk*": 0.25,
    "lie": 0.25, "rip": 0.25, "trash": 0.25, "grab": 0.25, "grabbed": 0.25, "beg": 0.25,
    "panic": 0.25, "scramble": 0.25, "scrambled": 0.25, "scrambling": 0.25, "rig": 0.25,
    "lash": 0.25, "blast": 0.25, "torch": 0.25, "crush": 0.25, "flood": 0.25, "flooding": 0.0,
    "mock*": 0.25, "censor*": 0.25, "fake": 0.25, "alien": 0.25, "outrage": 0.25,
    "insider*": 0.0, "exploit": 0.25, "exploited": 0.25, "exploiting": 0.25, "war-torn": 0.25,
    "devastat*": 0.25, "havoc": 0.25, "radical": 0.5, "stoke": 0.5, "brutality": 0.25,
    "interfer*": 0.25, "gangs": 0.25, "looting": 0.25, "massacre*": 0.25, "supremacist*": 0.25,
    "socialist*": 0.25, "communist*": 0.25, "authoritarian": 0.25, "illegal": 0.25,
    # name-calling: stronger, but still not enough alone
    "thugs": 0.75, "thuggish": 0.75, "liar": 0.75, "liars": 0.75, "lunatic*": 0.75,
    "idiot*": 0.75, "moron*": 0.75, "imbecile": 0.75, "buffoon*": 0.75, "crackpot": 0.75,
    "nutjob": 0.75, "fanatic*": 0.75, "zealot*": 0.75, "stooge": 0.75, "lackey": 0.75,
    "shill": 0.75, "grifter*": 0.75, "crook": 0.75, "crooks": 0.75, "cabal": 0.75,
    "warmonger*": 0.75, "hatemonger": 0.75, "fearmonger*": 0.75, "scaremonger*": 0.75,
    "demagogue*": 0.75, "sham": 0.75, "charade": 0.75, "farce": 0.75, "hoax": 0.75,
    "unhinged": 0.75, "deranged": 0.75,
})
# Evaluative adverbs and adjectives of judgement (the writer grading conduct).
LOADED.update({w: 0.5 for w in """
childish childishly irresponsible irresponsibly foolishly stupidly cynical cynically
hypocritically dishonestly deceptively callous callously cruelly heartless
shameful shamefully disgracefully ugly nasty sleazy seedy slimy smug arrogant arrogance
arrogantly petty vindictive spiteful hysterically frantic frantically feeble flimsy
half-baked harebrained misguided wrongheaded dangerously alarmingly disturbing disturbingly
sickening chilling terrifying horrifyingly grotesque obscene vulgar crude crass tone-deaf
""".split()})
LOADED = {w: v for w, v in LOADED.items() if v > 0}

# --- scare quotes --------------------------------------------------------------------------------
# A short quoted phrase is a scare quote unless it is attributed: a speech verb in the same
# sentence before it, or right after it, makes it a partial quotation instead.
SPEECH_VERBS = frozenset("""
say says said saying tell tells told telling call calls called calling describe describes
described describing dub dubs dubbed term terms termed label labels labelled labeled write
writes wrote written tweet tweets tweeted post posted add adds added declare declares declared
warn warns warned warning claim claims claimed insist insists insisted state states stated
announce announces announced vow vows vowed promise promises promised brand brands branded
quip quipped note notes noted argue argues argued ask asks asked reply replied respond
responded explain explained urge urged accuse accused complain complained admit admitted
acknowledge acknowledged suggest suggested predict predicted according slogan headline
headlined titled entitled named nicknamed known chant chanted shout shouted cite cited quote
quoted put puts
""".split())


# --- propaganda techniques (``parallax.analysis.techniques``) ------------------------------------
# Names of the PTC / SemEval-2020 Task 11 set.  Loaded words split in two: words that label a
# person or group (name-calling) and the rest (loaded language).
NAME_CALLING = frozenset("""
regime junta despot tyrant dictator autocrat strongman warlord thug goon henchman henchmen crony
cronies stooge puppet lackey minion shill pawn mouthpiece propagandist zealot fanatic extremist
radical radicals militant jihadi firebrand agitator demagogue rabble-rouser mob mobs rabble horde
hordes gang gangster criminal criminals crook crooks grifter fraudster liar liars hypocrite
crackpot nutjob lunatic loon loony kook madman maniac idiot moron imbecile clown buffoon fool
monster barbarian savage villain bigot racist xenophobe sexist misogynist homophobe supremacist
fascist nazi marxist communist socialist leftist rightist snowflake elitist globalist neocon
warmonger traitor traitors
""".split())

TECHNIQUE_PHRASES: dict[str, tuple[str, ...]] = {
    "Appeal_to_fear-prejudice": (
        "catastrophe", "catastrophic", "existential threat", "grave danger", "at risk of",
        "will destroy", "could destroy", "threatens our", "threaten our", "invasion", "invaders",
        "doomsday", "apocalypse", "apocalyptic", "nightmare", "before it is too late",
        "before it's too late", "time is running out", "they are coming",
    ),
    "Flag-Waving": (
        "our nation", "our country", "our great nation", "patriots", "patriotic", "real americans",
        "true americans", "the american people", "our way of life", "our values", "our freedom",
        "national pride", "the homeland", "motherland", "fatherland",
    ),
    "Whataboutism,Straw_Men,Red_Herring": (
        "what about", "but what about", "and what about", "yet nobody talks about",
        "meanwhile nobody", "where was the outrage",
    ),
    "Causal_Oversimplification": (
        "all because", "solely because", "the sole reason", "the only reason", "simply because",
        "is to blame for", "are to blame for", "the root of all", "directly caused",
    ),
    "Black-and-White_Fallacy": (
        "either you are", "you are either", "you're either", "with us or against us",
        "there is no alternative", "there is no other choice", "the only option", "the only choice",
    ),
    "Bandwagon,Reductio_ad_hitlerum": (
        "everyone knows", "everybody knows", "everyone agrees", "nobody believes",
        "the whole world knows", "like hitler", "like the nazis",
    ),
    "Thought-terminating_Cliches": (
        "it is what it is", "end of story", "period, end of", "enough said", "that's that",
        "the science is settled", "nothing to see here", "move on",
    ),
    "Slogans": (
        "make america great again", "lock her up", "drain the swamp", "build the wall",
        "no justice, no peace", "yes we can",
    ),
    "Doubt": (
        "so-called", "self-proclaimed", "self-styled", "supposedly", "allegedly", "purported",
        "dubious", "questionable", "whether or not",
    ),
}
