"""Per-outlet framing profiles: the framing entries of every story, gathered by outlet. For
each outlet, the words it chose most (its own voice, apart from the words it quotes), for whom,
and how its wording differs from the other outlets of the same stories (words only it uses;
how often it frames, per article, beside them). A function of the report's stories and
articles only, so report.json and the web app's outlet page give the same profile."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from crosswire.compare.framing import FAMILIES
from crosswire.models import FramingEntry, OutletProfile, ProfileReferent, ProfileTerm, Story

__all__ = ["MAX_REFERENTS", "MAX_TERMS", "outlet_profiles"]

# A profile names the outlet's most used words, not every word: a long list hides its habits.
MAX_TERMS = 15
MAX_REFERENTS = 10


@dataclass
class _Tally:
    """Every use of one word (case folded) by one outlet in one voice."""

    forms: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    stories: set[str] = field(default_factory=set)
    refers_to: Counter[str] = field(default_factory=Counter)
    others_use: Counter[str] = field(default_factory=Counter)
    speakers: Counter[str] = field(default_factory=Counter)
    loaded: bool = False
    count: int = 0

    def add(self, entry: FramingEntry, story_id: str) -> None:
        self.count += 1
        self.forms[entry.term] += 1
        self.articles.add(entry.article_id)
        self.stories.add(story_id)
        if _referent(entry):
            self.refers_to[entry.refers_to] += 1
        self.others_use.update(entry.others_use)
        if entry.speaker:
            self.speakers[entry.speaker] += 1
        self.loaded = self.loaded or entry.loaded


def _referent(entry: FramingEntry) -> str:
    """Who or what the word is said of. A word family's entry names the family's neutral word
    ("airstrikes" for "bombings"), which is no one the word frames."""
    ref = entry.refers_to.strip()
    return "" if ref.lower() in _FAMILY_WORDS or ref.lower() == entry.term.lower() else ref


_FAMILY_WORDS = {w for family in FAMILIES for w in family}


def _key(term: str) -> str:
    """One key for the inflections of a word ("insists", "insisted", "insist"): an outlet's
    "insisted" is not a word only it uses when another outlet writes "insists"."""
    return " ".join(_stem(w) for w in term.lower().split())


def _stem(word: str) -> str:
    if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
        word = word[:-1]
    for end in ("ing", "ed", "e"):
        if word.endswith(end) and len(word) - len(end) >= 3:
            word = word[: -len(end)]
            break
    # "slamming" / "slammed" -> "slamm" -> "slam"; "raging" -> "rag", "rage" -> "rag"
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def _ranked(counter: Counter[str]) -> list[str]:
    return [k for k, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def outlet_profiles(
    stories: Sequence[Story],
    sources: Mapping[str, str],
    copies: Mapping[str, str] | None = None,
) -> list[OutletProfile]:
    """One profile per outlet with an article in `stories`, by outlet name. `sources` maps
    article id -> outlet; `copies` maps a syndicated copy's id -> its original's id.

    An outlet is compared with the other outlets of the stories it is in. Its copy of another
    outlet's article counts in its profile (it published those words) but shares them with
    the original's outlet; another outlet's copy of its article does not make its words shared
    (as in comparison, a copy counts as its original's outlet, `compare.matching.outlet_of`)."""
    copies = copies or {}
    # whose wording an article is: a syndicated copy's is its original's outlet's
    wording = {aid: sources.get(copies.get(aid, aid), source) for aid, source in sources.items()}
    outlet_articles: dict[str, set[str]] = defaultdict(set)
    outlet_stories: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        present = {sources[a] for a in story.article_ids if a in sources}
        for aid in story.article_ids:
            if aid in sources:
                outlet_articles[sources[aid]].add(aid)
        for outlet in sorted(present):
            outlet_stories[outlet].append(story)
    return [
        _profile(outlet, outlet_stories[outlet], outlet_articles[outlet], sources, wording)
        for outlet in sorted(outlet_stories)
    ]


def _profile(
    outlet: str,
    stories: Sequence[Story],
    articles: set[str],
    sources: Mapping[str, str],
    wording: Mapping[str, str],
) -> OutletProfile:
    own: dict[str, _Tally] = defaultdict(_Tally)
    quoted: dict[str, _Tally] = defaultdict(_Tally)
    # other outlets' words (both voices) in these stories: word -> outlets using it
    used_by: dict[str, set[str]] = defaultdict(set)
    other_articles: set[str] = set()
    other_own = 0
    for story in stories:
        for aid in story.article_ids:
            if aid in sources and aid not in articles:
                other_articles.add(aid)
        for entry in story.framing:
            who = sources.get(entry.article_id)
            if who is None:
                continue
            key = _key(entry.term)
            if who == outlet:
                (quoted if entry.voice == "quoted" else own)[key].add(entry, story.id)
            else:
                other_own += entry.voice == "outlet"
                if wording[entry.article_id] != outlet:  # not a copy of its own article
                    used_by[key].add(wording[entry.article_id])
    referents: dict[str, Counter[str]] = defaultdict(Counter)
    for tally in own.values():
        for name, n in tally.refers_to.items():
            referents[name][_form(tally)] += n
    own_count = sum(t.count for t in own.values())
    return OutletProfile(
        outlet=outlet,
        articles=len(articles),
        stories=len(stories),
        own_voice=own_count,
        quoted=sum(t.count for t in quoted.values()),
        per_article=round(own_count / len(articles), 2) if articles else 0.0,
        others_per_article=(round(other_own / len(other_articles), 2) if other_articles else None),
        terms=_terms(own, used_by)[:MAX_TERMS],
        quoted_terms=_terms(quoted, used_by)[:MAX_TERMS],
        referents=[
            ProfileReferent(name=name, count=sum(words.values()), terms=_ranked(words))
            for name, words in sorted(referents.items(), key=lambda kv: (-kv[1].total(), kv[0]))
        ][:MAX_REFERENTS],
        distinctive=[t.term for t in _terms(own, used_by) if t.other_outlets == 0][:MAX_TERMS],
    )


def _form(tally: _Tally) -> str:
    """The word as the outlet writes it most often ("Terrified" once, "terrified" twice)."""
    return _ranked(tally.forms)[0]


def _terms(
    tallies: Mapping[str, _Tally], used_by: Mapping[str, Iterable[str]]
) -> list[ProfileTerm]:
    terms = [
        ProfileTerm(
            term=_form(tally),
            count=tally.count,
            articles=len(tally.articles),
            stories=len(tally.stories),
            refers_to=_ranked(tally.refers_to),
            others_use=_ranked(tally.others_use),
            speakers=_ranked(tally.speakers),
            loaded=tally.loaded,
            other_outlets=len(set(used_by.get(key, ()))),
        )
        for key, tally in tallies.items()
    ]
    # most used first; among equals, a word with the neutral word others use beside it (the
    # clearest choice), then the words fewest other outlets share
    return sorted(
        terms,
        key=lambda t: (-t.count, -t.stories, not t.others_use, t.other_outlets, t.term.lower()),
    )
