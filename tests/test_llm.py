"""The optional LLM rewrite, against a fake OpenAI-compatible server started in the test."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from crosswire.models import SummarySentence
from crosswire.options import Options
from crosswire.pipeline import analyze
from crosswire.synthesis.llm import rewrite_brief, supported

DEMO = Path(__file__).resolve().parents[1] / "examples" / "harbour-fire"
Answer = Callable[[list[str]], str]


@pytest.fixture
def fake_llm() -> Iterator[tuple[str, list[dict[str, object]], list[Answer]]]:
    """A loopback server answering chat completions with whatever `answer` returns."""
    requests: list[dict[str, object]] = []
    answer: list[Answer] = [lambda sentences: json.dumps(sentences)]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            requests.append({"path": self.path, "body": body})
            prompt = body["messages"][0]["content"]
            sentences = [
                line.split(". ", 1)[1] for line in prompt.splitlines() if line[:1].isdigit()
            ]
            content = answer[0](sentences)
            payload = json.dumps({"choices": [{"message": {"content": content}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            del args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests, answer
    finally:
        server.shutdown()
        server.server_close()


SOURCE = "At least 12 workers were killed when a fire swept through a warehouse in Port Almera."
BRIEF = [SummarySentence(text=SOURCE, article_ids=["a"])]


def test_faithful_rewrite_is_kept(fake_llm: tuple[str, list, list]) -> None:
    url, requests, answer = fake_llm
    answer[0] = lambda s: json.dumps(
        ["A fire that swept through a Port Almera warehouse killed at least 12 workers."]
    )
    out, rejected = rewrite_brief(BRIEF, {0: [SOURCE]}, url)
    assert rejected == 0
    assert out[0].text.startswith("A fire that swept")
    assert out[0].article_ids == ["a"]
    assert requests[0]["path"] == "/v1/chat/completions"


def test_rewrite_with_a_changed_number_falls_back_to_the_source(fake_llm: tuple) -> None:
    url, _, answer = fake_llm
    answer[0] = lambda s: json.dumps(["A fire in a Port Almera warehouse killed 15 workers."])
    out, rejected = rewrite_brief(BRIEF, {0: [SOURCE]}, url)
    assert rejected == 1 and out[0].text == SOURCE


def test_rewrite_with_an_invented_name_falls_back(fake_llm: tuple) -> None:
    url, _, answer = fake_llm
    answer[0] = lambda s: json.dumps(
        ["According to Mayor Smith, at least 12 workers were killed in a Port Almera warehouse."]
    )
    out, rejected = rewrite_brief(BRIEF, {0: [SOURCE]}, url)
    assert rejected == 1 and out[0].text == SOURCE


def test_unparseable_answer_keeps_the_extractive_brief(fake_llm: tuple) -> None:
    url, _, answer = fake_llm
    answer[0] = lambda s: "Sorry, I cannot help with that."
    out, rejected = rewrite_brief(BRIEF, {0: [SOURCE]}, url)
    assert out == BRIEF and rejected == 1


def test_unreachable_endpoint_keeps_the_extractive_brief() -> None:
    out, rejected = rewrite_brief(BRIEF, {0: [SOURCE]}, "http://127.0.0.1:9", timeout=2)
    assert out == BRIEF and rejected == 1


def test_support_check_needs_numbers_names_and_words() -> None:
    assert supported("A warehouse fire in Port Almera killed at least 12 workers.", [SOURCE])
    assert not supported("A warehouse fire in Port Almera killed at least 13 workers.", [SOURCE])
    assert not supported("The weather in Port Almera was sunny and warm all week.", [SOURCE])


def test_pipeline_with_llm_rewrites_and_cites_the_same_articles(fake_llm: tuple) -> None:
    url, requests, answer = fake_llm
    answer[0] = lambda sentences: json.dumps(sentences)  # an echo is trivially faithful
    plain = analyze([DEMO])
    rewritten = analyze([DEMO], Options(llm_url=url))
    assert requests, "the endpoint was asked"
    for a, b in zip(plain.stories, rewritten.stories, strict=True):
        assert [s.article_ids for s in a.summary] == [s.article_ids for s in b.summary]


def test_without_llm_nothing_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used without --llm")

    monkeypatch.setattr(httpx, "post", refuse)
    monkeypatch.setattr(httpx.Client, "send", refuse)
    assert analyze([DEMO]).stories
