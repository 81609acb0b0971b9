"""The REST API against its own OpenAPI spec, with schemathesis: no input makes it fail (5xx),
and what it answers matches the spec. In-process (ASGI), a bounded number of examples."""

from __future__ import annotations

import sys
import tempfile
import types
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="needs the server extra (pip install 'crosswire[server]')")
schemathesis = pytest.importorskip("schemathesis", reason="needs schemathesis (the dev extra)")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from crosswire.models import Article, InputError  # noqa: E402
from crosswire.options import Options  # noqa: E402
from crosswire.server.app import create_app  # noqa: E402
from crosswire.server.worker import wait_for_jobs  # noqa: E402
from crosswire.store import ServerStore  # noqa: E402

TOKEN = "schema-token"


def _seed(db: Path) -> None:
    """A small store: two articles and no stories; the worker adds any upload it accepts."""
    with ServerStore(str(db)) as store:
        store.add_articles(
            [
                Article(id="a1", source="Outlet A", title="Fire", text="A fire broke out."),
                Article(id="a2", source="Outlet B", title="Fire", text="Fire crews came."),
            ]
        )


_DB = Path(tempfile.mkdtemp(prefix="crosswire-schema-")) / "api.db"
_seed(_DB)
app = create_app(str(_DB), token=TOKEN, max_upload_bytes=100_000, isolate_analysis=False)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


def _offline_read_urls(urls: Sequence[str], options: Options) -> Iterator[Article | InputError]:
    # Stands in for crosswire.inputs.fetch.read_urls: the test must not reach the network.
    for url in urls:
        yield InputError(origin=url, message="not fetched (offline test)")


@pytest.fixture(scope="module", autouse=True)
def _offline_fetcher() -> Iterator[None]:
    fake = types.ModuleType("crosswire.inputs.fetch")
    fake.read_urls = _offline_read_urls  # type: ignore[attr-defined]
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "crosswire.inputs.fetch", fake)
        yield
        worker = app.state.worker
        assert wait_for_jobs(app, timeout=120), [(j.kind, j.state) for j in worker.jobs.values()]


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_never_fails_and_answers_as_its_spec_says(case: schemathesis.Case) -> None:
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code < 500, (case.path, response.status_code, response.text[:300])
    # Uploads are refused by file name suffix (415), which OpenAPI cannot express; so a
    # schema-valid request may be refused, and that check is left out.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
