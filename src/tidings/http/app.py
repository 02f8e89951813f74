"""The tidings HTTP API and dashboard: a thin FastAPI layer over the service modules.

Handlers parse and validate the request, call one service function, and return its
result. Security lives here because it is about HTTP: a write token (writes are off
without one), a request size limit, no CORS unless asked for, and headers (CSP and
friends) that keep untrusted article text inert in the dashboard.
"""
from __future__ import annotations

import datetime as dt
import hmac
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

import tidings
from tidings import model
from tidings.errors import ConfigError, ModelError, NotFoundError, StoreError, TidingsError
from tidings.http.limits import BodySizeLimit, SecurityHeaders

DEFAULT_MAX_BODY_BYTES = 10_000_000
MAX_PAGE = 500
STATIC = Path(str(resources.files("tidings.http").joinpath("static")))

EventType = Literal[model.EVENT_TYPES]  # type: ignore[valid-type]
Status = Literal[model.STATUSES]  # type: ignore[valid-type]
Certainty = Literal[model.CERTAINTIES]  # type: ignore[valid-type]
QuadClass = Literal[model.QUAD_CLASSES]  # type: ignore[valid-type]
# A day, a month or a year: what the store's date filters take (years 1000-9999: the
# store looks a year before `from`, which year 1 cannot do).
DATE_PATTERN = r"^[1-9]\d{3}(-\d{2}(-\d{2})?)?$"
ACTOR_PATTERN = r"^[^\x00-\x1f]{1,200}$"
# Analyses count merged events (one per real event) or every extracted mention.
Unit = Annotated[Literal["event", "mention"], Query(description=(
    "event: merged events, one per real event (merges pending mentions first); "
    "mention: every extracted event"))]


class EventPageOut(BaseModel):
    events: list[dict[str, Any]] = Field(description="event records (event-record.md)")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; "
                                                "null on the last page")


class EventDetailOut(BaseModel):
    event: dict[str, Any] = Field(description="the event record (event-record.md)")
    article: dict[str, Any] | None = Field(description="the article it was coded from")
    merged: dict[str, Any] | None = Field(description="the real event this mention belongs "
                                                      "to across articles, once merged")
    mentions: list[dict[str, Any]] = Field(description="every mention of that real event, "
                                                       "with why it was merged")


class Rejected(BaseModel):
    origin: str
    line: int | None
    code: str
    reason: str
    article_id: str | None


class IngestOut(BaseModel):
    articles_read: int
    stored: int
    replaced: int
    duplicates: int
    events: int
    rejected: int
    rejections: list[Rejected]
    article_ids: list[str]
    seconds: float


class ActorsOut(BaseModel):
    actors: list[dict[str, Any]]


class ActorOut(BaseModel):
    actor: dict[str, Any]


class SeriesOut(BaseModel):
    a: str
    b: str
    by: str
    directed: bool
    unit: str
    series: list[dict[str, Any]]


class NetworkOut(BaseModel):
    level: str
    unit: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


class HealthOut(BaseModel):
    status: str
    version: str
    events: int
    writes_enabled: bool


class ErrorOut(BaseModel):
    detail: str


ERRORS = {400: {"model": ErrorOut}, 404: {"model": ErrorOut}, 503: {"model": ErrorOut}}
WRITE_ERRORS = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 413: {"model": ErrorOut},
                415: {"model": ErrorOut}, **ERRORS}
UPLOAD_BODY = {"requestBody": {"required": True, "description": (
    "One article or a batch, read by the same readers as `tidings ingest`: seed text "
    "(text/plain), JSON Lines (application/x-ndjson), CSV (text/csv), an HTML page "
    "(text/html), or JSON: one article object, a list of them, or {\"articles\": [...]}."),
    "content": {
        "text/plain": {"schema": {"type": "string"}},
        "application/x-ndjson": {"schema": {"type": "string"}},
        "text/csv": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "application/json": {"schema": {"anyOf": [
            {"type": "object"}, {"type": "array", "items": {"type": "object"}}]}},
    }}}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


def create_app(db_path: str | Path, token: str | None = None, *,
               max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
               cors_origins: list[str] | None = None) -> FastAPI:
    """The app over the store at `db_path`. Without `token`, write endpoints answer 403."""
    from tidings.service import kb, web

    db_path = Path(db_path)
    token = token or None
    app = FastAPI(
        title="tidings", version=tidings.__version__,
        description="PLOVER political event records from news, with the evidence for "
                    "every field. The dashboard is at /.",
        docs_url=None, redoc_url=None)  # the stock doc pages load scripts from a CDN

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return _error(404, exc.message)

    @app.exception_handler(StoreError)
    @app.exception_handler(ConfigError)
    @app.exception_handler(ModelError)
    async def _server_side(request: Request, exc: TidingsError) -> JSONResponse:
        # The request was fine; the store, a data file or the model is not.
        return _error(503, str(exc))

    @app.exception_handler(TidingsError)
    async def _bad_request(request: Request, exc: TidingsError) -> JSONResponse:
        return _error(400, exc.message)

    def require_writer(request: Request) -> None:
        if token is None:
            raise HTTPException(403, "writes are disabled on this server: start `tidings "
                                     "serve` with $TIDINGS_TOKEN set or --token-file PATH")
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                value.strip().encode("utf-8"), token.encode("utf-8")):
            raise HTTPException(401, "a write needs the header `Authorization: Bearer TOKEN`",
                                headers={"WWW-Authenticate": "Bearer"})

    @app.get("/healthz", response_model=HealthOut, tags=["meta"],
             summary="Liveness, version, number of stored events, and whether writes are on")
    def healthz() -> dict[str, Any]:
        events = web.open_store(db_path).count_events()
        return {"status": "ok", "version": tidings.__version__, "events": events,
                "writes_enabled": token is not None}

    @app.get("/vocabulary", tags=["meta"],
             summary="The record's closed vocabularies: event types, statuses, certainties, "
                     "quad classes")
    def vocabulary() -> dict[str, list[str]]:
        return web.vocabulary()

    @app.post("/articles", response_model=IngestOut, responses=WRITE_ERRORS, tags=["write"],
              dependencies=[Depends(require_writer)], openapi_extra=UPLOAD_BODY,
              summary="Ingest one article or a batch; rejections are returned, not raised")
    async def post_articles(request: Request, filename: Annotated[str | None, Query(
            max_length=200, description="the upload's file name, shown in rejections")] = None
    ) -> dict[str, Any]:
        body = await request.body()
        content_type = request.headers.get("content-type", "")
        media = content_type.split(";")[0].strip().lower()
        if media not in web.UPLOAD_SUFFIXES:
            raise HTTPException(415, f"unsupported content type {media or 'none'!r}; use one "
                                     f"of {', '.join(sorted(web.UPLOAD_SUFFIXES))}")
        return await run_in_threadpool(web.ingest_upload, db_path, body, content_type,
                                       filename)

    @app.get("/events", response_model=EventPageOut, responses=ERRORS, tags=["events"],
             summary="Search events in date order, with cursor pagination")
    def list_events(
        actor: Annotated[str | None, Query(pattern=ACTOR_PATTERN, description=(
            "actor country code (IND) or knowledge-base id / canonical name"))] = None,
        recipient: Annotated[str | None, Query(pattern=ACTOR_PATTERN, description=(
            "recipient country code or knowledge-base id / canonical name"))] = None,
        country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description=(
            "a country code on either side"))] = None,
        event_type: Annotated[list[EventType] | None, Query(
            alias="type", description="PLOVER event type(s)")] = None,
        quad_class: Annotated[list[QuadClass] | None, Query()] = None,
        status: Annotated[list[Status] | None, Query()] = None,
        certainty: Annotated[list[Certainty] | None, Query()] = None,
        since: Annotated[str | None, Query(alias="from", pattern=DATE_PATTERN, description=(
            "events whose date reaches this day, month or year"))] = None,
        until: Annotated[str | None, Query(alias="to", pattern=DATE_PATTERN)] = None,
        text: Annotated[str | None, Query(max_length=200, description=(
            "words in the evidence sentence"))] = None,
        article: Annotated[str | None, Query(max_length=200, description="an article id")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
        order: Annotated[Literal["oldest", "newest"], Query(description=(
            "date order; a cursor belongs to the order it came from"))] = "oldest",
    ) -> JSONResponse:
        page = web.search_events(db_path, web.EventQuery(
            actor=actor, recipient=recipient, country=country.upper() if country else None,
            event_type=list(event_type or []), quad_class=list(quad_class or []),
            status=list(status or []), certainty=list(certainty or []), since=since,
            until=until, text=text or None, article_id=article, limit=limit, cursor=cursor,
            newest_first=order == "newest"))
        # Records are the store's own JSON: skip re-validating them against the model,
        # which costs more than the query on a page of 50.
        return JSONResponse({"events": page.records, "next_cursor": page.next_cursor})

    @app.get("/events/{event_id}", response_model=EventDetailOut, responses=ERRORS,
             tags=["events"], summary="One event with its article, evidence and mentions")
    def get_event(event_id: Annotated[str, PathParam(max_length=200)]) -> JSONResponse:
        return JSONResponse(web.event_detail(db_path, event_id))

    @app.get("/actors", response_model=ActorsOut, responses=ERRORS, tags=["actors"],
             summary="Search the knowledge base (people, organisations, countries) by name "
                     "or alias")
    def search_actors(
        q: Annotated[str, Query(min_length=1, max_length=200, pattern=ACTOR_PATTERN)],
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        on: Annotated[dt.date | None, Query(description=(
            "the day whose offices to show (default today)"))] = None,
    ) -> dict[str, Any]:
        return {"actors": kb.search_actors(q, day=on, limit=limit)}

    @app.get("/actors/{kb_id}", response_model=ActorOut, responses=ERRORS, tags=["actors"],
             summary="One knowledge-base actor, with tenures for a person")
    def get_actor(kb_id: Annotated[str, PathParam(max_length=200)],
                  on: Annotated[dt.date | None, Query()] = None) -> dict[str, Any]:
        return {"actor": kb.get_actor(kb_id, day=on)}

    @app.get("/dyads/{a}/{b}/series", response_model=SeriesOut, responses=ERRORS,
             tags=["analysis"], summary="Events between two actors per period, by quad class, "
                                        "with score sum and mean")
    def dyad_series(
        a: Annotated[str, PathParam(pattern=ACTOR_PATTERN)],
        b: Annotated[str, PathParam(pattern=ACTOR_PATTERN)],
        by: Literal["day", "week", "month"] = "week",
        directed: bool = False,
        since: Annotated[str | None, Query(alias="from", pattern=DATE_PATTERN)] = None,
        until: Annotated[str | None, Query(alias="to", pattern=DATE_PATTERN)] = None,
        unit: Unit = "event",
    ) -> dict[str, Any]:
        return web.dyad_series(db_path, a, b, by=by, directed=directed, since=since,
                               until=until, unit=unit)

    @app.get("/network", response_model=NetworkOut, responses=ERRORS, tags=["analysis"],
             summary="Who acted on whom in a period: nodes and weighted directed edges")
    def network(
        since: Annotated[str | None, Query(alias="from", pattern=DATE_PATTERN)] = None,
        until: Annotated[str | None, Query(alias="to", pattern=DATE_PATTERN)] = None,
        level: Literal["country", "entity"] = "country",
        unit: Unit = "event",
    ) -> dict[str, Any]:
        return web.network(db_path, since=since, until=until, level=level, unit=unit)

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> RedirectResponse:
        return RedirectResponse("/#/api")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
