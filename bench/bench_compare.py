"""How long comparing one story takes, at 50 and 1,000 articles (issue 5's speed targets).

Run: .venv/bin/python bench/bench_compare.py [--sizes 50 1000]

The story is synthetic but made of real prose: the fire articles of examples/harbour-fire,
each rewritten per outlet (paragraphs shuffled, a third of the sentences dropped, some figures
changed), which is how a widely covered event looks: many outlets repeating the same facts.
Language analysis runs first and is timed apart; the figures are compare + synthesis alone.
Beside them, on the same story: what each way of building claims costs alone — today's
sentence families (`matching.sentence_families`, still what conflicts pair) and the fact
claims (`facts.fact_groups`: features, the learned match, grouping) — after the context both
share (`matching.build_context`: the similarity space and candidate pairs).
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import time
from datetime import timedelta
from pathlib import Path

from crosswire.compare import compare_story
from crosswire.compare.facts import fact_groups
from crosswire.compare.matching import build_context, sentence_families, story_entities
from crosswire.language import analyze_article
from crosswire.models import Article, StoryGroup
from crosswire.options import Options
from crosswire.pipeline import read_and_clean
from crosswire.synthesis.brief import synthesize

ROOT = Path(__file__).resolve().parents[1]


def synthetic_story(n: int, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    articles, _ = read_and_clean([ROOT / "examples" / "harbour-fire"], Options())
    seeds = [a for a in articles if a.id != "kessa-derby"]
    out = []
    for i in range(n):
        base = seeds[i % len(seeds)]
        paragraphs = [p for p in base.text.split("\n") if p.strip()]
        rng.shuffle(paragraphs)
        kept = []
        for p in paragraphs:
            sentences = re.split(r"(?<=[.!?])\s+", p)
            sentences = [s for s in sentences if rng.random() > 0.33] or sentences[:1]
            text = " ".join(sentences)
            if rng.random() < 0.1:
                text = re.sub(r"\b12\b", str(rng.choice([11, 12, 13])), text)
            kept.append(text)
        out.append(
            base.model_copy(
                update={
                    "id": f"{base.id}-{i}",
                    "source": f"Outlet {i}",
                    "text": "\n".join(kept),
                    "published": (base.published or None)
                    and base.published + timedelta(days=rng.randint(0, 2)),
                }
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 1000])
    args = parser.parse_args()
    options = Options()
    for n in args.sizes:
        articles = synthetic_story(n)
        started = time.perf_counter()
        analyses = {a.id: analyze_article(a, options) for a in articles}
        analysis_s = time.perf_counter() - started
        by_id = {a.id: a for a in articles}
        group = StoryGroup(id="s-bench", article_ids=[a.id for a in articles])
        started = time.perf_counter()
        story = compare_story(group, by_id, analyses, options, title="bench")
        compared = time.perf_counter()
        story = synthesize(story, by_id, analyses, options)
        done = time.perf_counter()
        compare_s, synthesis_s = compared - started, done - compared
        started = time.perf_counter()
        ctx = build_context(group, by_id, analyses, options)
        entities = story_entities(ctx)
        context_s = time.perf_counter() - started
        started = time.perf_counter()
        families = sentence_families(ctx)
        families_s = time.perf_counter() - started
        started = time.perf_counter()
        facts = fact_groups(ctx, entities).groups
        facts_s = time.perf_counter() - started
        sentences = sum(len(a.sentences) for a in analyses.values())
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{n:>5} articles, {sentences:>6} sentences: compare {compare_s:6.2f} s, "
            f"synthesis {synthesis_s:5.2f} s, total {compare_s + synthesis_s:6.2f} s "
            f"(language analysis {analysis_s:.1f} s apart); {len(story.claims)} claims, "
            f"{len(story.conflicts)} conflicts; peak RSS {peak_mb:.0f} MB"
        )
        print(
            f"      context + entities {context_s:5.2f} s; then sentence families (today's claims) "
            f"{families_s:5.2f} s -> {len(families)} groups; fact claims {facts_s:5.2f} s -> "
            f"{len(facts)} groups"
        )


if __name__ == "__main__":
    main()
