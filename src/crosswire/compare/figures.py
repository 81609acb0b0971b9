"""Figure conflicts: two outlets counting the same thing of the same happening with values that
cannot both hold. Owns what a figure counts (`counted`), its interval (`interval`), and the
pairwise test that two figures are one fact stated two ways rather than two facts.

Precision comes first. Two figures are compared only when they count the same thing (the
same counted noun after normalisation, "other rifles" apart from "rifles"; an age only with
the same person), in sentences that state the same claim, undated apart; and only when
neither article also states the other's value for that thing (an article giving both "two
boats" and "three boats" shows they are different boats, not a contradiction). A figure that
a later-dated report raises is an update, not a conflict.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from crosswire.compare.matching import StoryContext, components, short_id
from crosswire.models import Conflict, ConflictValue, NumberMention

__all__ = ["counted", "figure_conflicts", "interval"]

# Units that locate or time something rather than count a fact of the story.
_NOT_COUNTS = frozenset(
    ["hrs", "hr", "hour", "ist", "gmt", "utc", "am", "pm", "block", "%", "percent", "o'clock"]
)
_MODEL_CODE = re.compile(r"^([a-z]+)-?\d+s?$")  # "ak-47s", "f-16", "m16": the model counted
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Nouns that describe a person by age ("a 16-year-old boy"): the referent an age belongs to.
_TITLE_CASE = re.compile(r"^[A-Z][a-z'’-]+$")
_AGE = "age of "
# Ages of people named only by such a noun belong to one person only when the same act is told.
_GENERIC_PEOPLE = frozenset(
    ["man", "woman", "boy", "girl", "child", "person", "teen", "teenager", "male", "female"]
)


# A figure summed over several happenings ("a total of 14 rifles in five operations", "so far
# this year"): not the figure of the one happening the story tells, nor a contradiction of it.
_TOTAL_BEFORE = re.compile(r"(?i)\b(?:a\s+total\s+of|in\s+all|altogether)\s*$")
_TOTAL_IN = re.compile(r"(?i)\b(?:so\s+far|to\s+date|in\s+total|cumulative(?:ly)?)\b")
# One figure counting two nouns together ("some 420 passengers and crew"): the second noun
# follows bare, with no number or determiner of its own ("246 passengers and most of its crew"
# counts the passengers only).
_SHARED_COUNT = re.compile(r"\s+(?:and|&)\s+([a-z]+)\b(?!\s*-)")
_NOT_NOUNS = frozenset({
    "a", "an", "the", "its", "his", "her", "their", "our", "my", "your", "this", "that",
    "these", "those", "some", "most", "many", "all", "several", "few", "other", "more", "each",
    "every", "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "dozens", "then", "also", "now", "later", "still", "even", "only", "at", "in", "on",
    "of", "for", "with", "from", "to", "by", "as", "was", "were", "is", "are", "has", "have",
    "had", "who", "which", "about", "around", "nearly", "almost", "over", "under", "roughly",
    "just", "up", "approximately", "least"
})  # fmt: skip
# Groups whose members are counted under three names ("crew members", "crewmembers", "crewmen")
_GROUPS = frozenset(["crew", "staff", "family", "police", "militia", "gang", "team", "band"])
_MEMBER_OF = re.compile(rf"^({'|'.join(sorted(_GROUPS))})(?:members?|m[ae]n)$")
_JUST_UNDER = re.compile(r"(?i)(?:nearly|almost|close\s+to|just\s+under)\b")


def interval(n: NumberMention) -> tuple[float, float]:
    """The values a figure as written allows: ranges, "about" (±10 %), bounds."""
    v = n.value
    if n.value_max is not None:
        return (min(v, n.value_max), max(v, n.value_max))
    if n.bound == "about":
        if _JUST_UNDER.match(n.text):
            return (v * 0.9, v)  # "nearly 300" falls short of 300: not "more than 300"
        return (v * 0.9, v * 1.1)
    if n.bound in ("at_least", "more_than"):
        return (v + (1 if n.bound == "more_than" and v.is_integer() else 0), math.inf)
    if n.bound in ("at_most", "less_than"):
        return (0.0, v - (1 if n.bound == "less_than" and v.is_integer() else 0))
    return (v, v)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _age_referent(n: NumberMention, sentence: str) -> str | None:
    """Whom an age describes: the name beside it ("Wilson, 14"; "14-year-old Javon Wilson") or
    the noun after it ("a 16-year-old boy"); None when the sentence does not say."""
    at = sentence.find(n.text)
    if at < 0:
        return None
    before = _WORD.findall(sentence[:at])
    after = _WORD.findall(sentence[at + len(n.text) :])
    after = [w for w in after if w.lower() not in ("year", "years", "old", "-", "year-old")]
    adjectival = "year" in n.text.lower()  # "42-year-old Min Lee": what follows is described
    if (
        not adjectival
        and sentence[:at].rstrip().endswith(",")
        and before
        and _TITLE_CASE.match(before[-1])
    ):
        names: list[str] = []
        for w in reversed(before[-3:]):
            if not _TITLE_CASE.match(w):
                break
            names.insert(0, w)
        return " ".join(names).lower()  # "Javon Wilson, 14"
    if after:
        following: list[str] = []
        for w in after[:3]:
            if not _TITLE_CASE.match(w):
                break
            following.append(w)
        if following:
            return " ".join(following).lower()  # "14-year-old Javon Wilson"
        return _singular(after[0].lower())  # "a 16-year-old boy"
    return None


def _is_model(n: NumberMention, sentence: str) -> bool:
    """Whether a figure counts a named model ("seven AK-47s", "12 AK 47 guns")."""
    first = (n.unit or "").lower().split()[:1]
    if not first:
        return False
    return _MODEL_CODE.match(first[0]) is not None or bool(
        re.search(re.escape(n.text) + r"[\s-]+\d+\b", sentence)
    )


def _same_thing(a: str, b: str) -> bool:
    """One counted thing: the same key, or ages of one named person named more or less fully
    ("Wilson" and "Javon Wilson"; never "Hank Mata" and "Mark Mata")."""
    if a == b:
        return True
    if not (a.startswith(_AGE) and b.startswith(_AGE)):
        return False
    x, y = set(a[len(_AGE) :].split()), set(b[len(_AGE) :].split())
    return bool(x and y) and (x <= y or y <= x) and not (x | y) & _GENERIC_PEOPLE


def _group_member(words: Sequence[str]) -> str | None:
    """The group a count of its members names ("crew members", "crewmembers", "crewmen":
    crew; "staff members": staff), else None."""
    closed = _MEMBER_OF.match(words[-1])
    if closed:
        return closed.group(1)
    if len(words) > 1 and _singular(words[-1]) == "member" and words[-2] in _GROUPS:
        return words[-2]
    return None


def counted(n: NumberMention, sentence: str) -> str | None:
    """What a figure counts, normalised so two outlets' wordings of one thing meet ("AK-47
    assault rifles" and "AK-47s": ak; "two other rifles": other rifle); None for figures that
    count nothing comparable (clock times, addresses, a bare number)."""
    if not n.unit:
        return None
    words = [w.lower().strip(".,") for w in n.unit.split()]
    words = [w for w in words if w and not w.isdigit()]
    if not words or words[0] in _NOT_COUNTS or n.unit.isupper():
        return None  # "USD" and other currency codes: an amount of what is not said
    if words[0].startswith("year") and any(w.startswith("old") for w in words):
        referent = _age_referent(n, sentence)
        return f"{_AGE}{referent}" if referent else None
    at = sentence.find(n.text)
    if at >= 0 and re.match(r"[\s-]+[a-z]+ed\b", sentence[at + len(n.text) :]):
        return None  # "one rocket propelled grenade launcher": the noun is a modifier here
    code = _MODEL_CODE.match(words[0])
    if code:
        head = code.group(1)
    else:
        # the counted noun is the last word, less a trailing participle ("pirates arrested")
        while len(words) > 1 and words[-1].endswith("ed"):
            words.pop()
        head = _group_member(words) or _singular(words[-1])
        # a proper adjective narrows what is counted: "11 Yemeni pirates" are not "23 pirates"
        proper = [w.lower() for w in n.text.split()[1:-1] if _TITLE_CASE.match(w)]
        head = " ".join([*proper, head])
    shared = _SHARED_COUNT.match(sentence[at + len(n.text) :]) if at >= 0 else None
    if (
        shared
        and shared.group(1).lower() not in _NOT_NOUNS
        and shared.group(1)[-2:] not in ("ed", "ly")
    ):
        head = f"{head} and {_singular(shared.group(1).lower())}"  # "420 passengers and crew"
    if _TOTAL_BEFORE.search(sentence[: max(at, 0)]) or _TOTAL_IN.search(sentence):
        head = f"total {head}"  # a running total counts more than one happening's figure
    # "three more rifles" counts others; "more than 300 crew members" is a bound, not others
    other = re.search(
        r"\b(?:other|additional|another|further)\b|\bmore\b(?!\s+than\b)", n.text, re.I
    )
    return f"other {head}" if other else head


def _explain(low: NumberMention, high: NumberMention) -> str:
    """One line: why the lowest and highest figures cannot both hold."""
    lo, hi = interval(low), interval(high)
    if high.bound in ("at_least", "more_than"):
        reason = f"{lo[1]:g} is below the lower bound {hi[0]:g}"
    elif low.bound in ("at_most", "less_than"):
        reason = f"{hi[0]:g} is above the upper bound {lo[1]:g}"
    elif "about" in (low.bound, high.bound) or low.value_max or high.value_max:
        reason = "the values do not overlap even read as approximate"
    else:
        reason = "two different exact values"
    return f"“{low.text}” vs “{high.text}”: {reason}, for the same thing counted."


def figure_conflicts(ctx: StoryContext) -> list[Conflict]:
    """Pairs of figures of different outlets that count one thing of one happening with
    values that cannot both hold, joined into one conflict per counted thing."""
    mentions: list[tuple[str, NumberMention, str]] = []
    for aid, analysis in ctx.analyses.items():
        for n in analysis.numbers:
            thing = counted(n, ctx.text(aid, n.sentence))
            if thing:
                mentions.append((aid, n, thing))
    # every value each article gives each thing: the cross-check below
    stated: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for aid, n, thing in mentions:
        stated[(aid, thing)].append(interval(n))
    where = {(a, n.sentence, t) for a, n, t in mentions}
    for aid, analysis in ctx.analyses.items():
        for n in analysis.numbers:
            if not n.unit:  # "32 million people, compared with 55.3 million a decade ago"
                for a, _, thing in where:
                    if a == aid and (a, n.sentence, thing) in where:
                        stated[(aid, thing)].append(interval(n))

    def states(aid: str, thing: str, span: tuple[float, float]) -> bool:
        return any(lo <= span[1] and span[0] <= hi for lo, hi in stated[(aid, thing)])

    edges: dict[str, list[tuple[int, int]]] = defaultdict(list)
    candidates = set(ctx.candidate_mention_pairs([(a, n.sentence) for a, n, _ in mentions]))
    # a named person's age is one fact wherever the sentences stand: compare those few directly
    named_ages = [
        k
        for k, (_, _, t) in enumerate(mentions)
        if t.startswith(_AGE) and t[len(_AGE) :] not in _GENERIC_PEOPLE
    ]
    candidates.update((x, y) for x in named_ages for y in named_ages if x < y)
    # so is a count of a named model ("seven AK-47s"): few, and specific
    models = [k for k, (a, n, _) in enumerate(mentions) if _is_model(n, ctx.text(a, n.sentence))]
    candidates.update((x, y) for x in models for y in models if x < y)
    # the models each sentence counts, and how many: two sentences agreeing on one ("seven
    # AK-47s") list the same haul, whatever else they say around it
    haul: dict[tuple[str, int], set[tuple[str, float]]] = defaultdict(set)
    for k in models:
        a, n, t = mentions[k]
        haul[(a, n.sentence)].add((t, n.value))
    for i, j in sorted(candidates):
        (ai, ni, ti), (aj, nj, tj) = mentions[i], mentions[j]
        if not _same_thing(ti, tj) or ctx.outlet[ai] == ctx.outlet[aj]:
            continue
        si, sj = interval(ni), interval(nj)
        if not (si[1] < sj[0] or sj[1] < si[0]):
            continue  # compatible values, bounds and rounding considered
        # an article that also gives the other value counts two different things
        if states(ai, ti, sj) or states(aj, tj, si):
            continue
        sim = ctx.sentence_sim((ai, ni.sentence), (aj, nj.sentence))
        same_verb = ni.anchor is not None and ni.anchor == nj.anchor
        age = ti.startswith(_AGE)
        named = age and ti[len(_AGE) :] not in _GENERIC_PEOPLE
        if age and not named and not same_verb:
            continue  # "a 20-year-old man" killed, "an 18-year-old man" charged: two men
        # a named person's age is one fact whatever the sentence tells around it
        # a model counted ("AK-47s") names the thing so closely that the sentences need only
        # be about as close as a shared verb makes them
        specific = (
            same_verb
            or (
                _is_model(ni, ctx.text(ai, ni.sentence))
                and _is_model(nj, ctx.text(aj, nj.sentence))
            )
            or bool(haul[(ai, ni.sentence)] & haul[(aj, nj.sentence)])
        )
        needed = 0.0 if named else ctx.options.claim_threshold * (0.45 if specific else 0.9)
        if sim < needed or _dated_apart(ctx, (ai, ni.sentence), (aj, nj.sentence)):
            continue
        if _raised_later(ctx, (ai, ni), (aj, nj)):
            continue  # a running figure a later report raised: an update
        edges[ti].append((i, j))

    def first_statement(aid: str, n: NumberMention, thing: str) -> int:
        """The article's first sentence giving this value of this thing (the lead states it
        most directly); for an age, any age of that value (one article, one person)."""
        return min(
            m.sentence
            for a, m, t in mentions
            if a == aid
            and interval(m) == interval(n)
            and (_same_thing(t, thing) or (t.startswith(_AGE) and thing.startswith(_AGE)))
        )

    conflicts = []
    for thing, pairs in sorted(edges.items()):
        for comp in components(len(mentions), pairs):
            group = [mentions[k] for k in comp]
            values = _sides(
                (aid, n, ctx.text(aid, first_statement(aid, n, t)))
                for aid, n, t in sorted(group, key=lambda m: (interval(m[1]), m[0]))
            )
            ordered = sorted((n for _, n, _ in group), key=lambda n: interval(n)[0])
            conflicts.append(
                Conflict(
                    id=short_id(
                        "c", "number", *sorted(f"{v.normalized}|{v.value}" for v in values)
                    ),
                    kind="number",
                    subject=_subject(thing, [n for _, n, _ in group]),
                    values=values,
                    severity="high",
                    explanation=_explain(ordered[0], ordered[-1]),
                )
            )
    return conflicts


def _value_key(n: NumberMention) -> str:
    """One figure as a value: the same number, bound and range end."""
    return f"{n.value:g}|{n.bound}|{n.value_max}"


def _sides(figures: Iterable[tuple[str, NumberMention, str]]) -> list[ConflictValue]:
    """(article, figure, evidence) in order of interval -> the conflict's sides: figures whose
    intervals all overlap stand on one side ("about 300" and "300" do not contradict each
    other, so they are one value against "923"), each article listed once per side. A side is
    named by its figure most articles state, exact ones first ("12" before "at least 10")."""
    sides: list[tuple[tuple[float, float], list[tuple[str, NumberMention, str]]]] = []
    for aid, n, evidence in figures:
        lo, hi = interval(n)
        if sides and sides[-1][0][0] <= hi and lo <= sides[-1][0][1]:
            (slo, shi), members = sides[-1]
            sides[-1] = ((max(lo, slo), min(hi, shi)), [*members, (aid, n, evidence)])
        else:
            sides.append(((lo, hi), [(aid, n, evidence)]))
    values = []
    for _, members in sides:
        ids_of: dict[str, set[str]] = defaultdict(set)
        first: dict[str, NumberMention] = {}
        for aid, n, _ in members:
            ids_of[_value_key(n)].add(aid)
            first.setdefault(_value_key(n), n)
        keys = sorted(first, key=lambda k: (first[k].bound != "exact", -len(ids_of[k])))
        texts: list[str] = []
        for k in keys:
            for _, n, _ in members:
                if _value_key(n) == k and n.text.lower() not in [t.lower() for t in texts]:
                    texts.append(n.text)
        cv = ConflictValue(
            value="; ".join(texts), normalized=first[keys[0]].value, article_ids=[], evidence=[]
        )
        for aid, _, evidence in members:
            if aid not in cv.article_ids:
                cv.article_ids.append(aid)
                cv.evidence.append(evidence)
        values.append(cv)
    return values


def _subject(thing: str, figures: Sequence[NumberMention]) -> str:
    """What the outlets count, as an editor reads it: "age of Javon Wilson", "AK-47s seized"."""
    if thing.startswith(_AGE):
        who = thing[len(_AGE) :]
        return f"age of {'the ' + who if who in _GENERIC_PEOPLE else who.title()}"
    units = Counter(n.unit for n in figures if n.unit).most_common(1)
    verbs = Counter(n.anchor for n in figures if n.anchor).most_common(1)
    unit = units[0][0] if units else thing
    return f"number of {unit}" + (f" ({verbs[0][0]})" if verbs else "")


def _dated_apart(ctx: StoryContext, a: tuple[str, int], b: tuple[str, int]) -> bool:
    """Whether two sentences carry dates whose intervals do not overlap."""
    ta = [t for t in ctx.analyses[a[0]].times if t.sentence == a[1] and not t.reporting]
    tb = [t for t in ctx.analyses[b[0]].times if t.sentence == b[1] and not t.reporting]
    return bool(ta and tb) and all(
        x.latest < y.earliest or y.latest < x.earliest for x in ta for y in tb
    )


def _raised_later(
    ctx: StoryContext, a: tuple[str, NumberMention], b: tuple[str, NumberMention]
) -> bool:
    """Whether the later-published of two reports gives the higher figure (a toll that rose,
    a bond raised): an update between reports, not a contradiction."""
    da, db = ctx.articles[a[0]].published, ctx.articles[b[0]].published
    if da is None or db is None or da == db:
        return False
    earlier, later = (a, b) if da < db else (b, a)
    return interval(later[1])[0] > interval(earlier[1])[1]
