"""Archive inputs (JSONL.gz, Parquet, WARC) read as streams, and through `read_inputs`.

Every fixture is generated here; no shared text is copied into the project.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from crosswire.executors import LocalExecutor
from crosswire.inputs import read_inputs
from crosswire.inputs.archive import read_jsonl, read_parquet, read_warc
from crosswire.models import Article, InputError
from crosswire.options import Options

pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (crosswire[archive])")
pq = pytest.importorskip("pyarrow.parquet")
warcio = pytest.importorskip("warcio", reason="warcio is not installed (crosswire[archive])")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402


def _body(n: int) -> str:
    return (
        f"The ferry service number {n} resumed on Monday after the storm. "
        f"Officials said {n} crossings were planned for the week, and the harbour reopened."
    )


def _page(n: int) -> str:
    paragraphs = "".join(f"<p>{_body(n)} Paragraph {k} adds detail.</p>" for k in range(4))
    return (
        f"<html><head><title>Ferry {n} resumes</title>"
        '<meta property="article:published_time" content="2026-03-0'
        f'{1 + n % 9}"></head><body><article><h1>Ferry {n} resumes</h1>{paragraphs}'
        "</article></body></html>"
    )


def _http(status: str, content_type: str) -> StatusAndHeaders:
    return StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")


def _warc_records(writer: WARCWriter, pages: int) -> Iterator[None]:
    """Writes a crawl's mix: per page a request, the response, and now and then an image,
    a redirect and a page with no article; yields after each page."""
    for n in range(pages):
        url = f"https://news.example.org/ferry-{n}"
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET")))
        headers = _http("200 OK", "text/html; charset=utf-8")
        writer.write_record(
            writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(_page(n).encode()),
                http_headers=headers,
            )
        )
        if n % 3 == 0:
            image = _http("200 OK", "image/png")
            writer.write_record(
                writer.create_warc_record(
                    url + ".png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=image
                )
            )
            moved = _http("301 Moved Permanently", "text/html")
            writer.write_record(
                writer.create_warc_record(
                    url + "/old",
                    "response",
                    payload=io.BytesIO(b"<html></html>"),
                    http_headers=moved,
                )
            )
            empty = _http("200 OK", "text/html")
            writer.write_record(
                writer.create_warc_record(
                    url + "/tags",
                    "response",
                    payload=io.BytesIO(b"<html><body><a href='/'>Home</a></body></html>"),
                    http_headers=empty,
                )
            )
        yield None


def _write_warc(path: Path, pages: int) -> None:
    with path.open("wb") as handle:
        for _ in _warc_records(WARCWriter(handle, gzip=path.name.endswith(".gz")), pages):
            pass


def _jsonl_line(n: int, *, noise: bool = False) -> bytes:
    text = _body(n) + (f" Ref {os.urandom(120).hex()}." if noise else "")  # noise resists gzip
    row = {"id": f"f{n}", "source": "Coast News", "title": f"Ferry {n}", "text": text}
    row["published"] = "2026-03-02"
    return (json.dumps(row) + "\n").encode()


def _articles(items: list[Article | InputError]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


# --------------------------------------------------------------------------- streaming


def _first_before_the_end(
    tmp_path: Path, name: str, write_head: Callable[[io.BufferedWriter], None], reader: Callable
) -> None:
    """The reader yields its first article while the writer still holds the rest of the file
    back: a reader that loaded the whole file first would wait for ever (here: time out)."""
    fifo = tmp_path / name
    os.mkfifo(fifo)
    release = threading.Event()

    def writer() -> None:
        try:
            with fifo.open("wb") as pipe:
                write_head(pipe)
                pipe.flush()
                release.wait(timeout=30)
        except BrokenPipeError:  # the reader stopped after its first article, as it may
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    got: list[Article | InputError] = []
    stream = reader(fifo, Options())
    consumer = threading.Thread(target=lambda: got.append(next(stream)))
    consumer.daemon = True
    consumer.start()
    consumer.join(timeout=20)
    finished_early = not consumer.is_alive()
    release.set()
    thread.join(timeout=5)
    consumer.join(timeout=5)
    assert finished_early, "the reader waited for the end of the file"
    assert isinstance(got[0], Article)
    stream.close()


def test_jsonl_gz_is_streamed_in_memory_far_below_the_file_size(tmp_path: Path) -> None:
    # A regular file (ingest's reader refuses pipes, which block in folder walks): ~5 MB
    # unpacked, while the reader holds a few lines at a time.
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        for n in range(20_000):
            handle.write(_jsonl_line(n))
    unpacked = sum(len(_jsonl_line(n)) for n in range(20_000))
    tracemalloc.start()
    try:
        stream = read_jsonl(path, Options())
        first = next(stream)
        count = 1 + sum(1 for item in stream if isinstance(item, Article))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(first, Article) and first.id == "f0"
    assert count == 20_000
    assert unpacked > 5_000_000 and peak < unpacked / 10


def test_warc_gz_yields_the_first_article_before_the_file_ends(tmp_path: Path) -> None:
    def head(pipe: io.BufferedWriter) -> None:
        pages = _warc_records(WARCWriter(pipe, gzip=True), 1_000_000)
        for _ in range(1000):  # ~1 MB: more than any read buffer, far from the end
            next(pages)  # each WARC record is its own gzip member, complete when written

    _first_before_the_end(tmp_path, "crawl.warc.gz", head, read_warc)


def _held_after_first_row(path: Path, rows: int) -> tuple[int, int]:
    """Arrow memory held once the first article is out, and the table's whole size."""
    text = " ".join(f"word{k}" for k in range(120))  # ~1 kB of text a row
    table = pa.table(
        {
            "id": [f"p{n}" for n in range(rows)],
            "source": ["Coast News"] * rows,
            "text": [f"{text} {n}" for n in range(rows)],
        }
    )
    pq.write_table(table, path, row_group_size=1000)
    whole = table.nbytes
    del table
    pool = pa.default_memory_pool()
    before = pool.bytes_allocated()
    stream = read_parquet(path, Options())
    first = next(stream)
    held = pool.bytes_allocated() - before
    assert isinstance(first, Article) and first.id == "p0"
    assert 1 + sum(1 for _ in stream) == rows
    return held, whole


def test_parquet_memory_stays_flat_as_the_file_grows(tmp_path: Path) -> None:
    small, _ = _held_after_first_row(tmp_path / "small.parquet", 5_000)
    large, whole = _held_after_first_row(tmp_path / "large.parquet", 40_000)
    # eight times the rows, about the same memory: batches of a row group, never the table
    assert large < 1.5 * small + 1_000_000, (small, large)
    assert large < whole / 5, (large, whole)


# --------------------------------------------------------------------------- content


def test_warc_html_responses_become_articles_and_the_rest_is_passed_over(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path, 4)
    items = list(read_warc(path, Options()))
    articles = _articles(items)
    assert len(items) == len(articles) == 4  # no images, redirects, tag pages or errors
    assert [a.url for a in articles] == [f"https://news.example.org/ferry-{n}" for n in range(4)]
    assert articles[2].title == "Ferry 2 resumes"
    assert "2 crossings were planned" in articles[2].text
    assert articles[2].published == date(2026, 3, 3)  # from the page, not the crawl date
    assert articles[0].source == "news.example.org"


@pytest.fixture(scope="module")
def pool() -> Iterator[LocalExecutor]:
    with LocalExecutor(2, preload=False) as executor:  # extraction needs no spaCy
        yield executor


def test_warc_pages_extracted_in_workers_are_the_articles_read_here(
    tmp_path: Path, pool: LocalExecutor
) -> None:
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path, 40)  # 54 HTML pages, 14 with no article: four chunks of 16
    here = list(read_warc(path, Options()))
    assert len(_articles(here)) == len(here) == 40
    assert list(read_warc(path, Options(), pool.map)) == here
    assert list(read_inputs([tmp_path], Options(), pool.map)) == list(
        read_inputs([tmp_path], Options())
    )


def test_warc_that_breaks_off_keeps_the_articles_before_and_names_the_file(
    tmp_path: Path, pool: LocalExecutor
) -> None:
    whole = tmp_path / "whole.warc.gz"
    _write_warc(whole, 30)
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(whole.read_bytes() + b"not a WARC record")
    for executor in (None, pool):
        items = list(read_warc(broken, Options(), executor and executor.map))
        articles = _articles(items)
        assert [a.url for a in articles] == [
            f"https://news.example.org/ferry-{n}" for n in range(30)
        ]
        last = items[-1]
        assert isinstance(last, InputError) and last.origin == str(broken)
        assert "not a readable WARC file" in last.message


def test_parquet_rows_read_like_jsonl_lines_with_typed_dates(tmp_path: Path) -> None:
    path = tmp_path / "rows.parquet"
    pq.write_table(
        pa.table(
            {
                "id": ["a", "b", "c"],
                "source": ["Coast News", "Bay Times", "Coast News"],
                "title": ["Ferry resumes", "Storm over", "Empty"],
                "published": [date(2026, 3, 2), None, date(2026, 3, 4)],
                "text": [_body(1), _body(2), "   "],
            }
        ),
        path,
    )
    items = list(read_parquet(path, Options()))
    articles = _articles(items)
    assert [a.id for a in articles] == ["a", "b"]
    assert articles[0].published == date(2026, 3, 2) and articles[1].published is None
    assert articles[1].source == "Bay Times"
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1 and errors[0].origin.endswith(":3")
    assert "row 3" in errors[0].message


def test_read_inputs_dispatches_parquet_and_warc_in_a_folder(tmp_path: Path) -> None:
    pq.write_table(pa.table({"text": [_body(7)], "source": ["Bay Times"]}), tmp_path / "a.parquet")
    _write_warc(tmp_path / "b.warc.gz", 2)
    _write_warc(tmp_path / "c.warc", 1)
    articles = _articles(list(read_inputs([tmp_path], Options())))
    assert [a.origin.split("/")[-1].split(":")[0].split("#")[0] for a in articles] == [
        "a.parquet",
        "b.warc.gz",
        "b.warc.gz",
        "c.warc",
    ]
    assert len({a.id for a in articles}) == 4


def test_broken_archives_are_one_error_each_and_the_rest_goes_on(tmp_path: Path) -> None:
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    (tmp_path / "bad.warc.gz").write_bytes(gzip.compress(b"not a warc record\r\n\r\n"))
    (tmp_path / "good.txt").write_text("Ferry resumes\n" + _body(3), encoding="utf-8")
    items = list(read_inputs([tmp_path], Options()))
    errors = [i for i in items if isinstance(i, InputError)]
    assert sorted(e.origin.split("/")[-1] for e in errors) == ["bad.parquet", "bad.warc.gz"]
    assert any("Parquet" in e.message for e in errors)
    assert any("WARC" in e.message for e in errors)
    assert [a.id for a in _articles(items)] == ["good"]


def test_jsonl_stream_has_no_whole_file_limit_but_limits_each_line(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        for n in range(300):
            handle.write(_jsonl_line(n))
        handle.write(json.dumps({"id": "huge", "text": "x " * 5000}).encode() + b"\n")
    options = Options(max_file_bytes=5000)  # far less than the whole file
    items = list(read_jsonl(path, options))
    assert len(_articles(items)) == 300
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1 and errors[0].origin.endswith(":301")
