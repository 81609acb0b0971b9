"""Loadedness: words whose sense carries judgement or emotion beyond the fact, found in one
sentence with no other outlet to compare against.

Two sources, both with a clear licence and neither learned from any annotated bias corpus:
- the VADER sentiment lexicon (vaderSentiment wheel, MIT licence): words rated strongly
  emotional by its human raters (|valence| >= `VALENCE_FLOOR`), minus the plain words news
  needs to state a fact (`FACT_WORDS`: "killed", "war", "crisis" report, they do not judge;
  so do the economy's and public health's plain nouns, "debt", "infected", what a moved
  person was seen to do, "screamed", "wept", and the plain verbs of disagreement,
  "criticized", "argued");
- hand-written lists below, each with its rationale: partisan and pejorative labels,
  intensifiers, war/disaster metaphors used of politics, loaded verbs of saying, words that
  pass judgement (on a person, a view, a motive) and hyperbole of size and speed.
A listed word stands for its inflections ("claimed": "claiming", "claim"), an -ic adjective for
its listed adverb ("dramatic"), a compound for its loaded part ("scandal-ridden"); a word in a
term of law, policing or medicine ("reckless endangerment", "home invasion") is not loaded.
Scare quotes (a short phrase in quote marks, not a sentence anyone said) can be flagged too;
an appeal in capitals inside running text ("MUST SEE") and a simile of action ("took off like a
bullet") always are.
`own_voice_spans` keeps the words outside quotes: the outlet's choice, not a speaker's.

BABE (AGPL) measures this module (`crosswire eval framing`); only the valence floor, which
lists are on and the own-voice rule were chosen, from aggregate dev-topic figures (each list
kept or dropped whole: a list of hedges, "allegedly", "reportedly", was dropped, one flag in ten
right; the economy-and-health fact list was kept, dev precision 0.397 -> 0.428 at the same
recall, and so was the list of moved persons' acts, even on BABE and ten fewer false flags on
the framing gold's dev stories, and the plain verbs of disagreement, precision 0.423 -> 0.443,
recall 0.368 -> 0.366). No word here comes from BABE, and none was kept or removed
for its BABE figures.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files

from crosswire.language.quotes import find_quote_spans

__all__ = [
    "FACT_WORDS",
    "HAND_WORDS",
    "MILD_FLOOR",
    "VALENCE_FLOOR",
    "lexicon_flagger",
    "lexicon_words",
    "listed",
    "loaded_spans",
    "mild_words",
    "own_voice_spans",
    "scare_quote_spans",
]

# VADER's ratings run -4..4. Negative words from -1.5 ("disgraceful", "reckless"); positive
# ones only from 3.0 ("heroic", "brilliant"): milder praise ("peace", "agreement", "respect")
# is what news reports, not how it judges. Chosen on BABE's dev topics (aggregate figures:
# recall 0.30, precision 0.33 there, against 0.25 / 0.27 with one floor of 2.0; with the
# judging and hyperbole lists and the own voice, recall 0.33, precision 0.40, where -2.0
# gives 0.29 / 0.46 and -1.0 0.36 / 0.32). Re-checked after the fact lists, inflections and
# terms of law were added (dev recall 0.37, precision 0.44): still about the best floor.
VALENCE_FLOOR = (-1.5, 3.0)

# Plain event words: news must use them to report what happened (accidents, crime and the
# law, conflict, harm), so they are the fact, not a judgement on it (VADER rates them strongly
# because they describe bad events). Drawn from news vocabulary; none from BABE.
_FACT = """
    kill killed kills killing death deaths dead die died dies dying war wars crisis crises
    fire fires disaster disasters injured injury injuries wounded hurt attack attacks attacked
    crime crimes criminal arrest arrested prison jail jailed lost lose loses loss losses win
    won wins winner winners cancer disease illness ill sick victim victims violence violent
    shooting shot shoot abuse abused assault assaulted rape raped murder murdered murders
    suicide terror terrorism bomb bombs bombing fight fighting fought emergency danger
    dangerous threat threats threatened risk risks protest protests protesters support
    supported supports free freedom love loved hate hated hates like liked please thank
    thanks ok okay yes no best better good great well agree agreed care cared help helped
    helps hope hoped hopes ban banned lie lying lied failed fail fails failure poverty poor
    fear feared fears worried worry worries concern concerns concerned grief funeral
    pandemic outbreak collapse collapsed fraud charged guilty convicted accused
    accident accidents suspend suspended smuggling smuggled trapped rescue rescued destroyed
    damaged damage closed broken reject rejected rejection dispute disputes
    block blocks blocked blocking fatal fatally crash crashed crashes collision collisions
    suspicious suspect suspected fired weapon weapons argument arguments arguing argued
    trouble damages fault felony felonies killings arrests prosecuted prosecution punish
    punished punishment punitive illegal illegally stolen steal theft robbery charges forced
    broke unsecured disabling disabled aggravated mischief neglect threatening severe
    problem problems difficult struggling struggle suffered suffering pain refused refusing
    tired injure conflict conflicts tension tensions strained strike strikes deny denied
    denies
    """
# The economy and public health in plain words: what a budget, a market or an epidemic is made
# of. A debt or an infection is the fact reported; how the outlet judges it is in other words.
_ECONOMY_HEALTH = """
    debt debts deficit deficits unemployment unemployed jobless layoff layoffs inflation
    recession bankruptcy bankrupt foreclosure foreclosures eviction evictions tax taxes
    taxed cost costs costly expense expenses fee fees loan loans
    infected infection infections infectious flu virus viruses symptoms hospitalized
    hospitalised quarantine quarantined contagious diagnosed overdose overdoses
    """
# What a person was seen or heard to do when moved: news reports the act ("she screamed",
# "mourners wept"), it does not judge it.
_EMOTIONAL_ACTS = """
    scream screamed screaming screams cry cried cries crying weep wept weeping sob sobbed
    sobbing sobs wail wailed wailing yell yelled yelling shout shouted shouting gasp gasped
    mourn mourned mourning mourners grieve grieved grieves grieving
    """
# The plain verbs of disagreement that style guides tell reporters to use instead of the loaded
# ones ("criticized", "argued", "disputed", not "slammed", "blasted"): they attribute a stance
# and say nothing of it.
_DISAGREEING = """
    criticize criticized criticizes criticizing criticise criticised criticises criticising
    criticism criticisms critic critics argue argued argues arguing disagree disagreed
    disagrees disagreement disagreements oppose opposed opposes opposing opposition object
    objected objects objection objections question questioned questions questioning
    challenge challenged challenges challenging dispute disputed contest contested
    contests blame blamed blames blaming doubt doubts doubted
    """
FACT_WORDS = frozenset(" ".join((_FACT, _ECONOMY_HEALTH, _EMOTIONAL_ACTS, _DISAGREEING)).split())

# Hand-written, general news vocabulary that style guides (AP, Reuters, BBC) tell reporters to
# avoid or to attribute. Grouped by why the word is loaded.
_LABELS = """
    radical radicals extremist extremists far-left far-right leftist leftists ultra-left
    ultra-right hardline hardliner hardliners militant zealot zealots fanatic fanatics
    socialist marxist fascist fascists nazi nazis communist snowflake snowflakes woke elite
    elites elitist establishment globalist globalists regime dictator tyrant strongman despot
    thug thugs agitator agitators rioters mob slumlord puppet junta cronies crony butcher
    illegals alien aliens propaganda conspiracy hoax witch-hunt sham rigged
    """
_INTENSIFIERS = """
    absolutely utterly totally completely extremely incredibly outrageously shockingly
    staggering staggeringly massive massively huge hugely enormous unprecedented blatant
    blatantly flagrant flagrantly brazen brazenly egregious shameless shamelessly
    so-called notorious infamous draconian sweeping radically wildly dramatically
    """
_METAPHORS = """
    war-torn onslaught assault crusade invasion invaded battle battles battleground siege
    weaponize weaponized weaponizing firestorm bombshell explosive meltdown catastrophe
    catastrophic apocalyptic nightmare plague plagued epidemic scourge tsunami flood flooding
    avalanche inferno chaos chaotic carnage havoc rampage crackdown purge
    """
_SAYING = """
    slammed slams slam blasted blasts blast lashed lambasted lambastes ripped rips ripped
    torched bashed bashes bashing decried decries denounced denounces derided derides mocked
    mocks scoffed sneered ranted rants raged fumed railed conceded admitted admits claimed
    claims insisted insists boasted boasts bragged brags touted touts trumpeted peddled
    peddling parroted spewed vowed whined complained
    """
# Words that pass judgement on a person, a view or a policy rather than describe it: style
# guides tell reporters to attribute them ("a controversial plan" says the plan is disputed
# without saying by whom; "a ploy" says the motive is bad).
_JUDGING = """
    disgraceful shameful outrageous absurd ridiculous bizarre unhinged deranged crazed rabid
    reckless divisive controversial embattled beleaguered disgraced self-proclaimed self-styled
    vaunted much-hyped alarming disturbing troubling shocking devastating horrific vile
    despicable racist racists sexist bigoted xenophobic hateful misogynistic misogynist
    homophobic transphobic inflammatory incendiary fringe hard-line ultraconservative
    arch-conservative polarizing polarising dubious questionable baseless unfounded bogus phony
    fake discredited debunked misleading dishonest corrupt ludicrous laughable pathetic dismal
    abysmal disastrous toxic lavish exorbitant outlandish extreme extremism
    scheme schemes ploy ploys stunt stunts gimmick gimmicks charade farce debacle fiasco
    boondoggle boondoggles handout handouts giveaway giveaways cover-up slush tirade tirades
    diatribe diatribes screed screeds tantrum tantrums hysteria fearmongering scaremongering
    rhetoric ideologue ideologues cronyism demagogue demagogues demagoguery shill shills lackey
    lackeys stooge stooges henchman henchmen apologist apologists bigot bigots bigotry zealotry
    grandstanding pandering posturing smear smears
    hammered skewered scolded berated seethed gloated bristled balked caved flip-flopped
    backtracked dodged ducked stonewalled smeared spewing railroaded strong-armed bullied
    pandered grandstanded cozied kowtowed meddled meddling lurched gutted gutting scrapped
    slashed axed rammed jammed exploited exploiting weaponized demonized demonizing vilified
    vilifying peddle peddles
    """
# Hyperbole: size and speed words that tell the reader a change is alarming or amazing.
_HYPERBOLE = """
    whopping skyrocketing skyrocketed skyrocket soaring soared plummeting plummeted plunging
    surging spiraling spiralling exploding ballooning ballooned mushrooming rampant runaway
    record-breaking historic drastic drastically monumental colossal gigantic astronomical
    jaw-dropping eye-popping mind-boggling breathtaking barrage blitz ambush horde hordes swarm
    swarms deluge torrent powder-keg bloodbath scorched-earth warpath crosshairs stampede
    """
HAND_WORDS = frozenset(
    " ".join((_LABELS, _INTENSIFIERS, _METAPHORS, _SAYING, _JUDGING, _HYPERBOLE)).split()
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# A scare quote: one to three words in quote marks, inside a sentence (not a spoken sentence).
# Double marks only: a single straight or curly mark is far more often an apostrophe.
_SCARE = re.compile(r"[\"“]([A-Za-z][A-Za-z'’ -]{1,40}?)[\"”](?=[\s,.;:?!)])")


@lru_cache(maxsize=1)
def _vader() -> dict[str, float]:
    text = files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    valence: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        # words only: the lexicon also rates emoticons (":-)") and slang abbreviations
        if len(parts) >= 2 and re.fullmatch(r"[a-z][a-z'-]*[a-z]", parts[0]):
            valence[parts[0]] = float(parts[1])
    return valence


@lru_cache(maxsize=4)
def lexicon_words(valence_floor: tuple[float, float] = VALENCE_FLOOR) -> frozenset[str]:
    """Every loaded word (lower case): VADER's strong words (at or below the negative floor, at
    or above the positive one) less the fact words, plus the hand-written lists."""
    neg, pos = valence_floor
    strong = {w for w, v in _vader().items() if v <= neg or v >= pos}
    return frozenset((strong - FACT_WORDS) | HAND_WORDS)


# VADER's mild words: rated loaded, but too weakly to flag on their own ("resolve", "drunk");
# enough to tell a loaded substitution from a paraphrase where outlets word one slot
# differently (`compare.contrast`).
MILD_FLOOR = 1.0


@lru_cache(maxsize=1)
def mild_words() -> frozenset[str]:
    """VADER's words rated at least `MILD_FLOOR` either way but short of `VALENCE_FLOOR`, less
    the fact words and the loaded words themselves."""
    neg, pos = VALENCE_FLOOR
    mild = {w for w, v in _vader().items() if abs(v) >= MILD_FLOOR and neg < v < pos}
    return frozenset(mild - FACT_WORDS - lexicon_words())


# Inflections the lexicons list one form of ("slamming", "tragically"): stem -> base endings.
_ENDINGS = (
    ("ies", "y"), ("ied", "y"), ("ily", "y"), ("ly", ""), ("s", ""), ("es", ""), ("ed", ""),
    ("ed", "e"), ("ing", ""), ("ing", "e"), ("ness", ""), ("ally", ""),
)  # fmt: skip


def _forms(word: str) -> set[str]:
    """`word` (lower case) and the base forms its endings may strip to."""
    forms = {word} | {
        word[: -len(end)] + base
        for end, base in _ENDINGS
        if word.endswith(end) and len(word) - len(end) >= 3
    }
    # an adjective in -ic is listed through its adverb ("dramatic": "dramatically")
    forms |= {f + "ally" for f in forms if f.endswith("ic")}
    # a doubled final consonant ("slamming", "slammed") is the base's single one
    forms |= {f[:-1] for f in forms if len(f) > 3 and f[-1] == f[-2] and f[-1] not in "aeiou"}
    return forms


# The endings of a verb's or a noun's inflections; an adverb's -ly and a noun's -ness are not
# among them ("totally" is loaded, "total" is not).
_INFLECTIONS = frozenset({"ies", "ied", "s", "es", "ed", "ing"})


@lru_cache(maxsize=8)
def _bases(words: frozenset[str]) -> frozenset[str]:
    """Every listed word and the stems of its inflections, four letters or more: a list that
    holds "claimed" holds "claiming" and "claim"."""
    stems = {
        w[: -len(end)] + base
        for w in words
        for end, base in _ENDINGS
        if end in _INFLECTIONS and w.endswith(end) and len(w) - len(end) >= 4
    }
    stems |= {f[:-1] for f in stems if len(f) > 4 and f[-1] == f[-2] and f[-1] not in "aeiou"}
    return words | frozenset(stems)


def _listed(word: str, words: frozenset[str]) -> bool:
    """`word` or a base form of it is loaded, or shares a listed word's base form, and no form
    of it is a plain fact word."""
    word = word.lower().replace("’", "'")
    forms = _forms(word)
    if forms & _bases(words):
        return not forms & FACT_WORDS
    # a compound carries its loaded part ("scandal-ridden", "rage-tweeting")
    parts = [p for p in word.split("-") if len(p) >= 3] if "-" in word else []
    return any(_listed(p, words) for p in parts)


def _in_name(sentence: str, at: int, word: str) -> bool:
    """A capitalised word inside a sentence is most often part of a name ("Plus Ultra",
    "Hope Street"), not a choice of wording; the first word and all-caps words are not."""
    if not word[0].isupper() or word.isupper():
        return False
    return bool(sentence[:at].strip(" \"“‘'(«-—"))


# Terms of law, policing and medicine: a word that sounds loaded before a noun naming an
# offence, a person sought or a condition ("reckless endangerment", "disorderly conduct",
# "outstanding warrants", "traumatic brain injury", "in traumatic arrest"), or after a word
# that makes it such a term ("criminal complaint", "civil claim", "home invasion", "head
# trauma"), states the charge, the filing or the diagnosis; it does not judge
# (gold/framing/GUIDELINES.md: standard legal and police wording is not framing).
_TECHNICAL = """
    endangerment manslaughter homicide mischief conduct negligence trespass battery
    warrant warrants suspect suspects arrest injury injuries brain stress disorder
    """
_TECHNICAL_HEADS = frozenset(_TECHNICAL.split())
_LEGAL_MODIFIERS = frozenset(
    {"criminal", "civil", "legal", "formal", "home", "head", "blunt", "brain", "spinal"}
)


def _technical(sentence: str, start: int, end: int) -> bool:
    """The word at `start:end` of `sentence` is part of a term of law or medicine."""
    after = _WORD.match(sentence[end:].lstrip())
    before = _WORD.findall(sentence[:start])[-1:]
    return (after is not None and after.group().lower() in _TECHNICAL_HEADS) or (
        bool(before) and before[0].lower() in _LEGAL_MODIFIERS
    )


def listed(word: str) -> bool:
    """`word` (any inflection) is loaded in itself (`lexicon_words`)."""
    return _listed(word, lexicon_words())


def scare_quote_spans(sentence: str) -> list[tuple[int, int]]:
    """Short quoted phrases inside running text (`so-called "experts"`): the outlet distancing
    itself from a word. A quote that starts the sentence or has four or more words is speech."""
    found = []
    for m in _SCARE.finditer(sentence):
        inner = m.group(1).strip()
        if not inner or len(inner.split()) > 3 or not sentence[: m.start()].strip():
            continue
        found.append((m.start(1), m.start(1) + len(inner)))
    return found


# A run of words in capitals inside running text, holding the words of an appeal or an
# exclamation ("MUST SEE", "YOU WON'T BELIEVE"): the outlet raising its voice. Acronyms
# ("INS", "AK") and all-capital headlines are no such run (`shouted_spans`).
_SHOUT = re.compile(r"\b[A-Z][A-Z'’]+(?:\s+[A-Z][A-Z'’]+)+\b")
_APPEAL = frozenset(
    {"must", "never", "not", "you", "your", "all", "this", "what", "why", "how", "will", "can"}
    | {"do", "don't", "won't", "is", "are", "ever", "now"}
)


def shouted_spans(sentence: str) -> list[tuple[int, int]]:
    """Runs of two or more words in capitals that hold a word of appeal or exclamation, in a
    sentence that is otherwise in lower case (three lower-case words or more)."""
    if len(re.findall(r"\b[a-z]+\b", sentence)) < 3:
        return []
    return [
        m.span()
        for m in _SHOUT.finditer(sentence)
        if _APPEAL & {w.lower().replace("’", "'") for w in m.group().split()}
    ]


# A simile of motion or action: a verb, or its particle, compared to a thing ("took off like a
# bullet", "landed like a bomb"): the outlet's image, not the fact. A comparison after "look",
# "seem" or "be" ("looks like a church") describes; it is not one.
_SIMILE = re.compile(r"\b([A-Za-z]+)\s+(like\s+an?\s+[a-z]+(?:-[a-z]+)*)")
_PARTICLES = frozenset({"off", "out", "up", "down", "away", "around", "through", "over", "in"})
_LIKENING = frozenset(
    {"looked", "seemed", "sounded", "smelled", "tasted", "looking", "seeming", "sounding"}
)


def simile_spans(sentence: str) -> list[tuple[int, int]]:
    """ "like a NOUN" after a verb in -ed or -ing (not one of perceiving, "looked") or after
    a verb's particle ("took off like a bullet")."""
    found = []
    for m in _SIMILE.finditer(sentence):
        before = m.group(1).lower()
        verb = before.endswith(("ed", "ing")) and before not in _LIKENING
        if verb or before in _PARTICLES:
            found.append(m.span(2))
    return found


def loaded_spans(
    sentence: str,
    valence_floor: tuple[float, float] = VALENCE_FLOOR,
    scare_quotes: bool = False,
) -> list[tuple[int, int]]:
    """Character spans of the loaded words of one sentence (and its scare-quoted phrases when
    asked: off by default, since on BABE's dev topics barely one in twenty is marked loaded;
    in news most short quotes are a speaker's partial quote)."""
    words = lexicon_words(valence_floor)
    spans = [
        m.span()
        for m in _WORD.finditer(sentence)
        if _listed(m.group(), words)
        and not _in_name(sentence, m.start(), m.group())
        and not _technical(sentence, m.start(), m.end())
    ]
    figures = shouted_spans(sentence) + simile_spans(sentence)
    spans += [s for s in figures if not any(a < s[1] and s[0] < b for a, b in spans)]
    if scare_quotes:
        scare = scare_quote_spans(sentence)
        spans += [s for s in scare if not any(a < s[1] and s[0] < b for a, b in spans)]
    return sorted(spans)


def own_voice_spans(
    sentence: str,
    valence_floor: tuple[float, float] = VALENCE_FLOOR,
    scare_quotes: bool = False,
) -> list[tuple[int, int]]:
    """`loaded_spans` outside the sentence's quotes: the words the outlet chose itself. The
    compare stage reports a quoted word as the speaker's, not as the outlet's framing."""
    quoted = [(a, b) for a, b, _ in find_quote_spans(sentence)]
    return [
        (a, b)
        for a, b in loaded_spans(sentence, valence_floor, scare_quotes)
        if not any(qa <= a and b <= qb for qa, qb in quoted)
    ]


def lexicon_flagger(
    valence_floor: tuple[float, float] = VALENCE_FLOOR,
    scare_quotes: bool = False,
    own_voice: bool = True,
) -> Callable[[str], list[tuple[int, int]]]:
    """The outlet's loaded words of a sentence (`own_voice_spans`; every loaded word with
    `own_voice=False`) as a sentence flagger (the evaluator's `Flagger` shape)."""
    spans = own_voice_spans if own_voice else loaded_spans
    return lambda sentence: spans(sentence, valence_floor, scare_quotes)
