"""Score the language stage against the hand annotation of the demo corpus.

Run: ``crosswire eval language`` (or ``python -m crosswire.evaluate.language examples/harbour-fire``).

The folder holds the articles and ``gold-language.json`` (annotation guidelines inside it). The
articles go through the real ingest, clean and ``analyze_article``; gold items are found again
in the cleaned text by their verbatim ``text`` (and ``context`` where the text repeats).

Protocol (choices stated, so the figures can be read):

* Spans (quotes, numbers, times) are compared case-, quote- and whitespace-insensitively by
  character overlap within an article (lenient), one to one, predictions in text order, each
  taking the free gold item it overlaps most. A prediction overlapping only gold items already
  matched is a fragment of a found item ("midnight" + "Wednesday, March 11" against one gold
  expression) and counts neither way. Gold the cleaned text no longer holds is a miss
  (``coverage.gold_unlocated``).
* Entities: a system entity matches a gold entity when a name or alias of one equals a name or
  alias of the other (accents, case, "the" and a possessive ignored). Precision counts system
  entities matching any gold entity, recall gold entities matched by any system entity, so an
  entity split in two is not punished there but in ``alias_recall``: the share of gold aliases
  the system lists under the same entity as the gold name. ``type_accuracy`` compares coarse
  types (PERSON; ORG = ORG/OUTLET; PLACE = GPE/LOC/FAC; NORP; other) on matched entities.
* Titles: (person, title) pairs; a system title is right when its entity matches a gold person
  and one title's words contain the other's ("chief executive" ~ "PAA's chief executive").
* Speakers: over quotes. ``accuracy``: matched quotes whose speaker is right (both unknown
  counts as right); ``precision``: attributed system quotes that match a gold quote with that
  speaker; ``recall``: gold quotes with a speaker found and attributed right. Speakers compare
  through the entities' names and aliases ("Quell" = "Mara Quell").
* Numbers: ``value_accuracy`` (value and range end), ``unit_accuracy`` (last word of the unit,
  plural ignored) and ``bound_accuracy`` on matched numbers. Times: ``value_accuracy`` on
  matched expressions and ``value_f1`` counting a prediction right only with the gold value.
* Counts add up over all articles (micro average).
"""

from __future__ import annotations

import json
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosswire.evaluate.base import FolderEvaluator, register
from crosswire.evaluate.scoring import Span, f1, match_spans, prf, ratio
from crosswire.models import ArticleAnalysis, ArticleEntity, Sentence
from crosswire.options import Options

__all__ = [
    "GOLD_NAME",
    "LanguageEvaluator",
    "evaluate_language",
    "locate",
    "normalize_name",
    "title_matches",
]

GOLD_NAME = "gold-language.json"
FAMILIES = ("entities", "titles", "quotes", "speakers", "numbers", "times")

_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"'})
_FOLD |= str.maketrans({"»": '"', "–": "-", "—": "-", "\u00a0": " "})
_COARSE = {"ORG": "ORG", "OUTLET": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
_COARSE |= {"PERSON": "PERSON", "NORP": "NORP"}


# --------------------------------------------------------------------------- text


def _fold_chars(text: str) -> str:
    """Same-length folded copy: quotes straight, dashes plain, lower case, any space a space."""
    out = []
    for c in text.translate(_FOLD):
        low = c.lower()
        out.append(" " if c.isspace() else (low if len(low) == 1 else c))
    return "".join(out)


def _pattern(text: str) -> re.Pattern[str]:
    words = _fold_chars(text).split()
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def locate(text: str, needle: str, context: str | None = None, start: int = 0) -> Span | None:
    """Where `needle` lies in `text` (folded comparison), at or after `start` when it can be;
    inside `context` when one is given. The span's group is 0."""
    folded = _fold_chars(text)
    window = (0, len(folded))
    if context:
        found = _search(folded, _pattern(context), start)
        if found is None:
            return None
        window = found
    inner = _pattern(needle).search(folded, *window) if needle.strip() else None
    if inner is None:
        return None
    if not context and inner.start() < start:
        later = _pattern(needle).search(folded, start)
        inner = later or inner
    return Span(0, inner.start(), inner.end())


def _search(folded: str, pattern: re.Pattern[str], start: int) -> tuple[int, int] | None:
    found = pattern.search(folded, start) or pattern.search(folded)
    return (found.start(), found.end()) if found else None


def normalize_name(name: str) -> str:
    """Comparable form of a name: accents and case folded, 'the' and a possessive dropped."""
    nfkd = unicodedata.normalize("NFKD", name.translate(_FOLD))
    plain = "".join(c for c in nfkd if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"^(the|a|an)\s+", "", " ".join(plain.split()))
    return re.sub(r"'s?$", "", plain).strip(" .,;:'\"")


def _title_words(title: str) -> list[str]:
    words = re.findall(r"[\w.-]+", normalize_name(title).replace("'s ", " "))
    return [w for w in words if w not in {"the", "a", "an"}]


def title_matches(a: str, b: str) -> bool:
    """Whether two titles agree: one's words appear, in order and together, inside the other's."""
    wa, wb = _title_words(a), _title_words(b)
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if not short:
        return False
    return any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1))


# --------------------------------------------------------------------------- gold and system


@dataclass
class _Item:
    span: Span | None
    data: dict[str, Any]


def _locate_gold(text: str, items: Sequence[dict[str, Any]]) -> list[_Item]:
    """Gold items with their spans in the cleaned text (None when not found)."""
    out: list[_Item] = []
    cursor = 0
    for item in items:
        span = locate(text, item["text"], item.get("context"), cursor)
        if span is not None:
            cursor = span.start
        out.append(_Item(span, item))
    return out


def _locate_system(
    text: str, sentences: Sequence[Sentence], mentions: Iterable[tuple[int, str]]
) -> list[Span | None]:
    """Spans of system mentions (sentence index, text as written) in the article text."""
    out: list[Span | None] = []
    cursor: dict[int, int] = {}
    for index, mention in mentions:
        sentence = sentences[index] if 0 <= index < len(sentences) else None
        if sentence is None:
            out.append(locate(text, mention))
            continue
        found = locate(sentence.text, mention, start=cursor.get(index, 0))
        if found is None:
            out.append(locate(text, mention))
            continue
        cursor[index] = found.start
        out.append(Span(0, sentence.start + found.start, sentence.start + found.end))
    return out


def _forms(names: Iterable[str]) -> set[str]:
    return {n for n in (normalize_name(x) for x in names) if n}


def _entity_forms(entity: ArticleEntity | dict[str, Any]) -> set[str]:
    if isinstance(entity, ArticleEntity):
        return _forms([entity.name, *entity.aliases])
    return _forms([entity["name"], *entity.get("aliases", [])])


# --------------------------------------------------------------------------- tallies


@dataclass
class _Tally:
    counts: dict[str, float]

    def add(self, **values: float) -> None:
        for key, value in values.items():
            self.counts[key] = self.counts.get(key, 0.0) + value

    def __getitem__(self, key: str) -> float:
        return self.counts.get(key, 0.0)


def _score_entities(
    gold: Sequence[dict[str, Any]], system: Sequence[ArticleEntity], ent: _Tally, tit: _Tally
) -> None:
    gold_forms = [_entity_forms(g) for g in gold]
    system_forms = [_entity_forms(s) for s in system]
    ent.add(gold=len(gold), predicted=len(system))
    ent.add(system_matched=sum(1 for sf in system_forms if any(sf & gf for gf in gold_forms)))
    for g, gf in zip(gold, gold_forms, strict=True):
        hits = [k for k, sf in enumerate(system_forms) if sf & gf]
        aliases = [normalize_name(a) for a in g.get("aliases", [])]
        name = normalize_name(g["name"])
        ent.add(aliases=len(aliases))
        ent.add(
            aliases_merged=sum(1 for a in aliases if any({a, name} <= sf for sf in system_forms))
        )
        if not hits:
            continue
        best = max(hits, key=lambda k: (len(system_forms[k] & gf), name in system_forms[k]))
        ent.add(gold_matched=1)
        ent.add(
            type_correct=_COARSE.get(g["type"], "OTHER") == _COARSE.get(system[best].type, "OTHER")
        )
    # titles: gold (person, title) pairs against the titles of the system's persons
    persons = [(g, gf) for g, gf in zip(gold, gold_forms, strict=True) if g["type"] == "PERSON"]
    for g, gf in persons:
        for title in g.get("titles", []):
            tit.add(gold=1)
            tit.add(
                found=any(
                    sf & gf and any(title_matches(title, t) for t in s.titles)
                    for s, sf in zip(system, system_forms, strict=True)
                )
            )
    for s, sf in zip(system, system_forms, strict=True):
        if s.type != "PERSON":
            continue
        for title in s.titles:
            tit.add(predicted=1)
            tit.add(
                correct=any(
                    sf & gf and any(title_matches(title, t) for t in g.get("titles", []))
                    for g, gf in persons
                )
            )


def _matched(
    text: str,
    sentences: Sequence[Sentence],
    gold: Sequence[dict[str, Any]],
    mentions: Iterable[tuple[int, str]],
    tally: _Tally,
) -> tuple[list[tuple[int, int]], list[_Item], int]:
    """One family's gold and system mentions located and matched, the counts tallied: the
    matched pairs, the gold items, and how many gold items were not found in the text."""
    items = _locate_gold(text, gold)
    pairs, counted = _match(_locate_system(text, sentences, mentions), items)
    tally.add(gold=len(items), predicted=counted, matched=len(pairs))
    return pairs, items, sum(1 for g in items if g.span is None)


def _match(
    predicted: Sequence[Span | None], gold: Sequence[_Item]
) -> tuple[list[tuple[int, int]], int]:
    """Pairs (prediction index, gold index) and predictions counted; unlocated ones never match."""
    nowhere = Span(-1, 0, 0)  # a group no gold item has
    matching = match_spans(
        [p or nowhere for p in predicted],
        [g.span or Span(-2, 0, 0) for g in gold],
        prefer="best",
        count_fragments=False,
    )
    return matching.pairs, matching.counted


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-3)


def _unit_key(unit: str | None) -> str | None:
    if not unit:
        return None
    last = unit.split()[-1].lower()
    return last[:-1] if last.endswith("s") and len(last) > 3 else last


def _score_article(
    text: str,
    gold: dict[str, Any],
    analysis: ArticleAnalysis,
    tallies: dict[str, _Tally],
) -> int:
    """Adds one article's counts to the tallies; returns the gold items not found in the text."""
    sentences = analysis.sentences
    _score_entities(
        gold.get("entities", []), analysis.entities, tallies["entities"], tallies["titles"]
    )
    unlocated = 0

    # speakers compare through entity names: the gold entity's forms vs the system entity's
    gold_entities = {normalize_name(g["name"]): _entity_forms(g) for g in gold.get("entities", [])}
    system_entities = {e.name: _entity_forms(e) for e in analysis.entities}

    def same_speaker(system: str | None, wanted: str | None) -> bool:
        if system is None or wanted is None:
            return system is None and wanted is None
        mine = system_entities.get(system) or _forms([system])
        theirs = gold_entities.get(normalize_name(wanted)) or _forms([wanted])
        return bool(mine & theirs)

    quotes = ((q.sentence, q.text) for q in analysis.quotes)
    pairs, g_quotes, missing = _matched(
        text, sentences, gold.get("quotes", []), quotes, tallies["quotes"]
    )
    unlocated += missing
    tallies["quotes"].add(
        kind_correct=sum(analysis.quotes[p].kind == g_quotes[g].data["kind"] for p, g in pairs)
    )
    sp = tallies["speakers"]
    right = {
        p
        for p, g in pairs
        if same_speaker(analysis.quotes[p].speaker, g_quotes[g].data.get("speaker"))
    }
    sp.add(pairs=len(pairs), pairs_correct=len(right))
    sp.add(gold=sum(1 for g in g_quotes if g.data.get("speaker")))
    sp.add(predicted=sum(1 for q in analysis.quotes if q.speaker))
    sp.add(correct=sum(1 for p in right if analysis.quotes[p].speaker))

    nu = tallies["numbers"]
    numbers = ((n.sentence, n.text) for n in analysis.numbers)
    pairs, g_numbers, missing = _matched(text, sentences, gold.get("numbers", []), numbers, nu)
    unlocated += missing
    for p, g in pairs:
        n, want = analysis.numbers[p], g_numbers[g].data
        nu.add(
            value_correct=_same_number(n.value, want["value"])
            and _same_number(n.value_max, want.get("value_max")),
            unit_correct=_unit_key(n.unit) == _unit_key(want.get("unit")),
            bound_correct=n.bound == want.get("bound", "exact"),
        )

    ti = tallies["times"]
    times = ((t.sentence, t.text) for t in analysis.times)
    pairs, g_times, missing = _matched(text, sentences, gold.get("times", []), times, ti)
    unlocated += missing
    ti.add(value_correct=sum(analysis.times[p].value == g_times[g].data["value"] for p, g in pairs))
    return unlocated


def _summary(tallies: dict[str, _Tally]) -> dict[str, dict[str, float]]:
    ent, tit, quo, spk, num, tim = (tallies[f] for f in FAMILIES)
    entities = {
        "precision": ratio(ent["system_matched"], ent["predicted"]),
        "recall": ratio(ent["gold_matched"], ent["gold"]),
    }
    entities["f1"] = f1(entities["precision"], entities["recall"])
    entities |= {
        "type_accuracy": ratio(ent["type_correct"], ent["gold_matched"]),
        "alias_recall": ratio(ent["aliases_merged"], ent["aliases"]),
        "gold": ent["gold"],
        "predicted": ent["predicted"],
    }
    titles = {
        "precision": ratio(tit["correct"], tit["predicted"]),
        "recall": ratio(tit["found"], tit["gold"]),
    }
    titles |= {"f1": f1(titles["precision"], titles["recall"])}
    titles |= {"gold": tit["gold"], "predicted": tit["predicted"]}
    quotes = prf(quo["matched"], quo["predicted"], quo["gold"])
    quotes |= {"kind_accuracy": ratio(quo["kind_correct"], quo["matched"])}
    quotes |= {"gold": quo["gold"], "predicted": quo["predicted"]}
    speakers = prf(spk["correct"], spk["predicted"], spk["gold"])
    speakers |= {"accuracy": ratio(spk["pairs_correct"], spk["pairs"])}
    numbers = prf(num["matched"], num["predicted"], num["gold"])
    numbers |= {
        "value_accuracy": ratio(num["value_correct"], num["matched"]),
        "unit_accuracy": ratio(num["unit_correct"], num["matched"]),
        "bound_accuracy": ratio(num["bound_correct"], num["matched"]),
        "gold": num["gold"],
        "predicted": num["predicted"],
    }
    times = prf(tim["matched"], tim["predicted"], tim["gold"])
    times |= {
        "value_accuracy": ratio(tim["value_correct"], tim["matched"]),
        "value_f1": f1(
            ratio(tim["value_correct"], tim["predicted"]), ratio(tim["value_correct"], tim["gold"])
        ),
        "gold": tim["gold"],
        "predicted": tim["predicted"],
    }
    return {
        "entities": entities,
        "titles": titles,
        "quotes": quotes,
        "speakers": speakers,
        "numbers": numbers,
        "times": times,
    }


def evaluate_language(folder: Path, gold_path: Path | None = None) -> dict[str, dict[str, float]]:
    """Scores per family (entities, titles, quotes, speakers, numbers, times) of the language
    stage on the articles of `folder` against `gold_path` (default: the folder's
    ``gold-language.json``), plus ``coverage``
    (articles scored, gold items the cleaned text no longer holds)."""
    from crosswire.language import analyze_article
    from crosswire.pipeline import read_and_clean

    gold_file = gold_path or folder / GOLD_NAME
    gold: dict[str, dict[str, Any]] = json.loads(gold_file.read_text(encoding="utf-8"))["articles"]
    options = Options()
    articles, _errors = read_and_clean([folder], options)
    by_id = {a.id: a for a in articles}
    tallies = {family: _Tally({}) for family in FAMILIES}
    scored = unlocated = 0
    for article_id, annotation in gold.items():
        article = by_id.get(article_id)
        if article is None:
            continue  # counted below: its gold is all missed
        analysis = analyze_article(article, options)
        unlocated += _score_article(article.text, annotation, analysis, tallies)
        scored += 1
    missing = [a for a in gold if a not in by_id]
    for article_id in missing:
        empty = ArticleAnalysis(article_id=article_id)
        unlocated += _score_article("", gold[article_id], empty, tallies)
    result = _summary(tallies)
    result["coverage"] = {
        "articles": float(scored),
        "articles_missing": float(len(missing)),
        "gold_unlocated": float(unlocated),
    }
    return result


@register
class LanguageEvaluator(FolderEvaluator):
    """`crosswire eval language [GOLD]`: GOLD is a corpus folder's gold-language.json, or the
    folder (default: the demo corpus's); the language stage reads the folder's articles."""

    name = "language"
    default_gold = f"examples/harbour-fire/{GOLD_NAME}"
    gold_name = GOLD_NAME
    separator = "."

    def score_folder(self, folder: Path, gold: Path) -> dict[str, dict[str, float]]:
        return evaluate_language(folder, gold)


if __name__ == "__main__":  # pragma: no cover - manual run
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("examples/harbour-fire")
    print(json.dumps(evaluate_language(target), indent=2))
