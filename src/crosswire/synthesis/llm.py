"""Optional fluent rewrite of the brief by an OpenAI-compatible endpoint, checked sentence by
sentence against what it cites.

Nothing here runs unless the user passes `--llm URL` (a local llama.cpp or Ollama server, say);
without it nothing is sent anywhere. A generated sentence is kept only when the sentences it
cites support it: its numbers and names must appear there, most of its content words too, and
its meaning must stay close (embedding similarity). Otherwise the extractive sentence stays.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence

import httpx

from crosswire.embed import SentenceSpace
from crosswire.models import SummarySentence

__all__ = ["rewrite_brief", "supported"]

log = logging.getLogger(__name__)

_NUMBER = re.compile(r"\d[\d,.]*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w’'-]+")
_WORD = re.compile(r"[a-z][a-z’'-]+")
_STOP = {
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "with", "by", "from",
    "that", "this", "is", "was", "were", "be", "been", "has", "have", "had", "it", "its", "as",
    "but", "not", "their", "they", "he", "she", "his", "her", "which", "who", "said", "says",
}  # fmt: skip

PROMPT = (
    "Rewrite each numbered news sentence below so the list reads as one fluent, neutral brief. "
    "Keep every fact, number and name exactly; add nothing; do not merge or drop sentences. "
    "Answer with only a JSON array of strings, one per input sentence, in order.\n\n"
)


def _numbers(text: str) -> set[str]:
    return {n.rstrip(".,").replace(",", "") for n in _NUMBER.findall(text)}


def supported(sentence: str, sources: Sequence[str], min_overlap: float = 0.6) -> bool:
    """Whether `sources` support `sentence`: same numbers and names, shared wording, meaning."""
    if not sentence.strip() or not sources:
        return False
    joined = " ".join(sources)
    if not _numbers(sentence) <= _numbers(joined):
        return False
    names = {n for n in _NAME.findall(sentence)}
    if any(n not in joined for n in names):
        return False
    words = {w for w in _WORD.findall(sentence.lower()) if w not in _STOP}
    source_words = set(_WORD.findall(joined.lower()))
    if words and len(words & source_words) / len(words) < min_overlap:
        return False
    space = SentenceSpace([[], *[[] for _ in sources]], [sentence, *sources])
    return max(space.sim(0, k + 1) for k in range(len(sources))) >= 0.5


def _ask(url: str, model: str, sentences: Sequence[str], timeout: float) -> list[str] | None:
    prompt = PROMPT + "\n".join(f"{i + 1}. {s}" for i, s in enumerate(sentences))
    endpoint = url.rstrip("/")
    if not endpoint.endswith("/chat/completions"):
        endpoint += "/v1/chat/completions" if not endpoint.endswith("/v1") else "/chat/completions"
    try:
        response = httpx.post(
            endpoint,
            json={
                "model": model,
                "messages": [{"role": "user", "content": prompt}],
                "temperature": 0,
            },
            timeout=timeout,
            headers={"User-Agent": "crosswire"},
        )
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
        start, end = content.find("["), content.rfind("]")
        answer = json.loads(content[start : end + 1])
    except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
        log.warning("LLM rewrite failed (%s); keeping the extractive brief", exc)
        return None
    if not isinstance(answer, list) or len(answer) != len(sentences):
        log.warning("LLM answered %s items for %d sentences; keeping the extractive brief",
                    len(answer) if isinstance(answer, list) else "no", len(sentences))  # fmt: skip
        return None
    return [str(a) for a in answer]


def rewrite_brief(
    summary: Sequence[SummarySentence],
    cited: Mapping[int, Sequence[str]],
    url: str,
    model: str = "default",
    timeout: float = 60.0,
) -> tuple[list[SummarySentence], int]:
    """The brief rewritten where each new sentence is supported by its cited sentences.

    `cited[i]` are the source sentences summary sentence i cites. Returns the brief and how
    many sentences were replaced back by their extractive version.
    """
    answer = _ask(url, model, [s.text for s in summary], timeout)
    if answer is None:
        return list(summary), len(summary)
    out: list[SummarySentence] = []
    rejected = 0
    for i, (original, rewritten) in enumerate(zip(summary, answer, strict=True)):
        if supported(rewritten, [original.text, *cited.get(i, ())]):
            out.append(original.model_copy(update={"text": rewritten.strip()}))
        else:
            rejected += 1
            out.append(original)
    return out, rejected
