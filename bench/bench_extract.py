"""Pages per second of crosswire's page reading (ingest: decode, the strict trafilatura pass,
the fallback where that pass keeps almost nothing, metadata, the dropped lines; then clean)
beside trafilatura alone with its default settings, on the extraction benchmark's pages.

Both are timed page by page in turn, from the gzipped file to the text, in one process; each
page's time is the best of `--rounds` runs (load from other processes on the shared machine
then slows neither system alone). Prints both rates, their ratio (goal, issue 26: >= 0.9),
and the F1 of each on the same pages (`crosswire eval extraction` prints the full table).
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

from crosswire.evaluate.extraction import TRAFILATURA, score_extraction


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("../shared/data/article-extraction-benchmark"),
        help="the article-extraction-benchmark folder",
    )
    parser.add_argument("--split", choices=("dev", "heldout"), default=None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not (args.data / "ground-truth.json").is_file():
        sys.exit(f"{args.data}: no ground-truth.json")
    scores = score_extraction(args.data, args.split, rounds=args.rounds)
    ours = scores.figure("crosswire", "pages/s")
    theirs = scores.figure(TRAFILATURA, "pages/s")
    print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    print(f"pages: {scores.counts['pages']} ({args.split or 'both splits'}), best of {args.rounds}")
    print(f"{'system':28} {'pages/s':>8} {'F1':>6}")
    for system, rate in (("crosswire (read + clean)", ours), (TRAFILATURA, theirs)):
        row = "crosswire" if system.startswith("crosswire") else TRAFILATURA
        print(f"{system:28} {rate:8.1f} {scores.figure(row, 'f1'):6.3f}")
    print(f"ratio crosswire / trafilatura: {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
