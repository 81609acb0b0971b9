"""How errors are answered: as JSON (`ApiError`) to the API and to clients that do not ask
for HTML, as an error page to browsers. Covers `ApiProblem`, the package's own errors, HTTP
errors (404 of an unknown path, 405) and invalid requests."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from crosswire.errors import CrosswireError, Msg
from crosswire.server.deps import API_PREFIX, TEMPLATES
from crosswire.server.schemas import ApiProblem, json_error


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIX) and "text/html" in request.headers.get(
        "accept", ""
    )


def problem(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    response: Response
    if wants_html(request):
        page = TEMPLATES.get_template("error.html.j2").render(status=status, message=message)
        response = HTMLResponse(page, status_code=status)
    else:
        response = json_error(status, message)
    response.headers.update(headers or {})  # e.g. Allow on 405
    return response


def add_problem_handlers(app: FastAPI) -> None:
    """Answer every error the app raises the same way (JSON or an error page)."""

    @app.exception_handler(ApiProblem)
    async def _problem(request: Request, exc: ApiProblem) -> Response:
        return problem(request, exc.status, exc.message)

    @app.exception_handler(CrosswireError)
    async def _crosswire_error(request: Request, exc: CrosswireError) -> Response:
        return problem(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return problem(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        error = f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg"))
        return problem(request, 422, Msg.SERVER_BAD_REQUEST.format(error=error))
