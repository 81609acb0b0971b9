"""Memory of one `StoryIndex` as bench_stories' stream grows: is it flat with a window?

Run: .venv/bin/python bench/bench_stories_rss.py [--size 100000] [--every 20000] [--window-days 30]

Files the synthetic stream of `bench_stories.py` (same seed, 170 articles a day, prepared in
process, 100 at a time) into one index and prints, every --every articles, the process's RSS
after a collection (`/proc/self/statm`, so Linux only), the distinct names, the clusters and
what `StoryIndex.footprint` says is live.
"""

from __future__ import annotations

import argparse
import gc
import os

from bench_stories import materialise, synthetic_stream

from crosswire.options import Options
from crosswire.stories import StoryIndex, prepare_articles


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=20_000)
    parser.add_argument("--window-days", type=int, help="Options.story_window_days (default: none)")
    args = parser.parse_args()
    rows, _ = synthetic_stream(args.size)
    gc.collect()
    gc.freeze()  # the corpus: a streaming service would not hold it
    index = StoryIndex(Options(story_window_days=args.window_days))
    print(f"before filing: RSS {_rss_mb():,.0f} MB", flush=True)
    for start in range(0, args.size, 100):
        articles, analyses = materialise(rows[start : start + 100])
        index.add_prepared(prepare_articles(articles, analyses, index.options))
        if (start + 100) % args.every == 0:
            gc.collect()
            held = index.footprint()
            print(
                f"{start + 100:>7} articles: RSS {_rss_mb():,.0f} MB, {len(index._name_ids):,} "
                f"names, {len(index._clusters):,} clusters, {held['live']:,} live, "
                f"{held['text_entries']:,} term entries, {held['links']:,} links",
                flush=True,
            )


if __name__ == "__main__":
    main()
