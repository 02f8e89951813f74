"""The HTTP API with FastAPI's TestClient, on a store of hand-built documents."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient

from http_samples import build_store
from tidings.document import TidingsDoc
from tidings.http import create_app
from tidings.model import Article, Attribution, Entity, Event, EventDate, Evidence
from tidings.service import web

TOKEN = "test-token-0123456789"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("http") / "store.db")


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(db))


@pytest.fixture(scope="module")
def writer(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("http-write") / "store.db")
    return TestClient(create_app(path, token=TOKEN, max_body_bytes=50_000))


def event_types(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [record["event_type"] for record in response.json()["events"]]


def test_healthz_reports_events_and_that_writes_are_off(client):
    body = client.get("/healthz").json()
    assert body == {"status": "ok", "version": body["version"], "events": 4,
                    "writes_enabled": False}


def test_every_response_carries_security_headers(client):
    for path in ("/healthz", "/", "/static/js/main.js", "/events/missing"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "object-src 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_cors_is_off_by_default_and_on_when_asked(db):
    origin = {"Origin": "http://elsewhere.test"}
    closed = TestClient(create_app(db)).get("/events", headers=origin)
    assert "access-control-allow-origin" not in closed.headers
    opened = TestClient(create_app(db, cors_origins=["http://elsewhere.test"])).get(
        "/events", headers=origin)
    assert opened.headers["access-control-allow-origin"] == "http://elsewhere.test"


@pytest.mark.parametrize("params, expected", [
    ({"actor": "NOR"}, ["CONSULT", "SANCTION"]),
    ({"recipient": "KEN"}, ["CONSULT", "COERCE"]),
    ({"country": "ken"}, ["CONSULT", "COERCE"]),
    ({"actor": "test-minister-nor"}, ["CONSULT"]),
    ({"recipient": "test-minister-nor"}, []),  # he is the actor, never the recipient
    ({"actor": "Test Minister NOR", "recipient": "test-minister-ken"}, ["CONSULT"]),
    ({"type": "COERCE"}, ["COERCE"]),
    ({"type": ["COERCE", "SANCTION"]}, ["SANCTION", "COERCE"]),
    ({"quad_class": "material_conflict"}, ["SANCTION", "COERCE"]),
    ({"status": "negated"}, ["SANCTION"]),
    ({"certainty": "denied"}, ["SANCTION"]),
    ({"from": "2025-04-01", "to": "2025-04-30"}, ["COERCE"]),
    ({"from": "2025-05"}, ["CONSULT"]),
    ({"text": "protesters"}, ["COERCE"]),
    ({"article": "art-norway"}, ["CONSULT", "SANCTION"]),
])
def test_event_filters(client, params, expected):
    assert event_types(client.get("/events", params=params)) == expected


def test_newest_first_reverses_the_date_order(client):
    oldest = event_types(client.get("/events"))
    assert event_types(client.get("/events", params={"order": "newest"})) == oldest[::-1]


def test_hostile_filter_text_is_data_not_sql(client):
    assert event_types(client.get("/events", params={"text": "'; DROP TABLE events; --"})) == []
    assert event_types(client.get("/events", params={"text": "%"})) == []
    assert client.get("/healthz").json()["events"] == 4


@pytest.mark.parametrize("params", [{}, {"certainty": "asserted"}, {"order": "newest"},
                                    {"order": "newest", "certainty": "asserted"}])
def test_cursor_pages_cover_every_event_once(client, params):
    seen, cursor = [], None
    for _ in range(10):
        page = client.get("/events", params={**params, "limit": 1, "cursor": cursor}).json()
        seen += [record["event_id"] for record in page["events"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    everything = client.get("/events", params=params).json()["events"]
    assert seen == [record["event_id"] for record in everything]


@pytest.mark.parametrize("params, status", [
    ({"cursor": "not-a-cursor"}, 400),
    ({"from": "2025-13-45"}, 400),
    ({"from": "yesterday"}, 422),
    ({"from": "0000"}, 422),
    ({"limit": 0}, 422),
    ({"limit": 501}, 422),
    ({"type": "PARTY"}, 422),
    ({"certainty": "sure"}, 422),
])
def test_bad_queries_get_a_clear_client_error(client, params, status):
    response = client.get("/events", params=params)
    assert response.status_code == status
    assert response.json()["detail"]


def test_event_detail_has_the_article_and_evidence(client):
    first = client.get("/events", params={"type": "CONSULT", "actor": "NOR"}).json()["events"][0]
    detail = client.get(f"/events/{first['event_id']}").json()
    assert detail["event"] == first
    assert detail["article"]["title"] == "Oslo calls Nairobi"
    evidence = detail["event"]["evidence"]
    text = detail["article"]["text"]
    assert text[evidence["trigger_start"]:evidence["trigger_end"]] == "telephoned"
    assert detail["mentions"] == []


def test_unknown_event_is_404(client):
    response = client.get("/events/ev_0000000000000000")
    assert response.status_code == 404
    assert "ev_0000000000000000" in response.json()["detail"]


def test_dyad_series_counts_both_directions_unless_directed(client):
    both = client.get("/dyads/KEN/NOR/series", params={"by": "month"}).json()
    assert [(r["period"], r["events"], r["verbal_cooperation"]) for r in both["series"]] == [
        ("2025-03", 1, 1)]
    directed = client.get("/dyads/KEN/NOR/series", params={"directed": "true"}).json()
    assert directed["series"] == []
    week = client.get("/dyads/NOR/KEN/series").json()["series"][0]
    assert (week["period"], week["start"], week["score_mean"]) == (
        "2025-03-03/2025-03-09", "2025-03-03", 1.0)
    mentions = client.get("/dyads/NOR/KEN/series", params={"unit": "mention"}).json()
    assert mentions["unit"] == "mention" and mentions["series"][0]["events"] == 1


def test_network_edges_go_from_actor_to_recipient(client):
    body = client.get("/network", params={"from": "2025-03-01", "to": "2025-04-30"}).json()
    edges = {(e["source"], e["target"]): e for e in body["edges"]}
    assert set(edges) == {("NOR", "KEN")}  # KEN police -> KEN protesters is no link
    assert edges[("NOR", "KEN")]["score_mean"] == 1.0
    entity = client.get("/network", params={"level": "entity"}).json()
    assert {"source": "Kenyan police", "target": "twelve protesters", "events": 1,
            "sources": 1, "score_sum": -7.0, "score_mean": -7.0} in entity["edges"]
    assert {"test-minister-nor", "test-minister-ken"} <= {n["id"] for n in entity["nodes"]}


def test_writes_are_off_without_a_token(client):
    response = client.post("/articles", content=b"date 2025-01-01 Words.",
                           headers={"Content-Type": "text/plain"})
    assert response.status_code == 403
    assert "TIDINGS_TOKEN" in response.json()["detail"]


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token-000000000", TOKEN,
                                           f"Basic {TOKEN}"])
def test_a_write_needs_the_right_bearer_token(writer, authorization):
    headers = {"Content-Type": "text/plain"}
    if authorization:
        headers["Authorization"] = authorization
    response = writer.post("/articles", content=b"no date here", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_body_over_the_limit_is_refused(writer):
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}
    response = writer.post("/articles", content=b"x" * 60_000, headers=auth)
    assert response.status_code == 413
    assert "50,000 bytes" in response.json()["detail"]
    streamed = writer.post("/articles", content=iter([b"x" * 30_000, b"x" * 30_000]),
                           headers=auth)
    assert streamed.status_code == 413


def test_an_unknown_content_type_is_refused(writer):
    response = writer.post("/articles", content=b"\x00\x01",
                           headers={"Authorization": f"Bearer {TOKEN}",
                                    "Content-Type": "application/octet-stream"})
    assert response.status_code == 415


@pytest.mark.parametrize("content_type, body, code, line", [
    ("text/plain", b"An article without its date line.", "E102", 1),
    ("text/plain", b"date 2025-13-45 The month does not exist.", "E103", 1),
    ("application/x-ndjson", b'{"id": "a", "date": "2025-01-01"}\nnot json\n', "E106", 1),
    ("application/json", json.dumps([{"id": "b", "text": "No date."}]).encode(), "E106", 1),
    ("text/csv", b"id,date,text\nc,2025-02-30,Bad day.\n", "E103", 2),
])
def test_bad_articles_come_back_as_rejections(writer, content_type, body, code, line):
    response = writer.post("/articles", params={"filename": "../../etc/batch"}, content=body,
                           headers={"Authorization": f"Bearer {TOKEN}",
                                    "Content-Type": content_type})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["stored"] == 0
    first = report["rejections"][0]
    assert (first["code"], first["line"]) == (code, line)
    assert first["origin"].startswith("upload:batch")  # the name, never a server path
    assert "/tmp" not in first["reason"]


def test_invalid_json_body_is_a_clear_400(writer):
    response = writer.post("/articles", content=b"{not json",
                           headers={"Authorization": f"Bearer {TOKEN}",
                                    "Content-Type": "application/json"})
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]


def test_vocabulary_lists_the_record_codes(client):
    vocab = client.get("/vocabulary").json()
    assert "CONSULT" in vocab["event_types"] and "denied" in vocab["certainties"]


def test_docs_point_to_the_offline_api_page(client):
    response = client.get("/docs", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/#/api"
    assert "/events" in client.get("/openapi.json").json()["paths"]


def _many_docs(n: int) -> list[TidingsDoc]:
    """n one-event articles, every third one 'reported', on consecutive days."""
    docs = []
    for i in range(n):
        text = f"Official {i} of Chile met an envoy of Peru in Lima."
        article = Article(id=f"many-{i:04d}", date=dt.date(2024, 1, 1) + dt.timedelta(days=i),
                          text=text)
        docs.append(TidingsDoc(article=article, events=[Event(
            article_id=article.id, event_type="CONSULT",
            evidence=Evidence(sentence=text, start=0, end=len(text), trigger="met",
                              trigger_start=text.index("met"), trigger_end=text.index("met") + 3),
            actor=[Entity(text="Official", start=0, end=8, country="CHL")],
            recipient=[Entity(text="an envoy", start=text.index("an envoy"),
                              end=text.index("an envoy") + 8, country="PER")],
            date=EventDate(value=article.date.isoformat(), precision="day", text=None,
                           basis="article_date"),
            attribution=Attribution(certainty="reported" if i % 3 == 0 else "asserted"),
            quad_class="verbal_cooperation", score=1.0)]))
    return docs


@pytest.mark.parametrize("limit", [1, 7, 250])
def test_predicate_pages_are_exact_across_store_pages(tmp_path, limit):
    """Certainty runs past the store: pages must still cover each match once, in order."""
    db = build_store(tmp_path / "many.db", _many_docs(700))
    wanted = [f"many-{i:04d}" for i in range(700) if i % 3 == 0]
    seen, cursor = [], None
    while True:
        page = web.search_events(db, web.EventQuery(certainty=["reported"], limit=limit,
                                                    cursor=cursor))
        assert len(page.records) <= limit
        seen += [record["article_id"] for record in page.records]
        cursor = page.next_cursor
        if cursor is None:
            break
    web.close_stores()
    assert seen == wanted


def test_actor_search_and_entry_come_from_the_knowledge_base(client):
    found = client.get("/actors", params={"q": "Modi"}).json()["actors"]
    assert "narendra-modi" in [actor["kb_id"] for actor in found]
    entry = client.get("/actors/narendra-modi", params={"on": "2025-02-06"}).json()["actor"]
    assert entry["country"] == "IND" and entry["tenures"]
    assert client.get("/actors/no-such-actor").status_code == 404
    assert client.get("/actors", params={"q": "x", "on": "2025-02-30"}).status_code == 422


def test_event_detail_lists_the_mentions_of_its_merged_event(client):
    client.get("/network")  # analyses merge pending mentions first
    first = client.get("/events", params={"type": "COERCE"}).json()["events"][0]
    detail = client.get(f"/events/{first['event_id']}").json()
    assert detail["merged"]["merged_id"]
    assert [m["event_id"] for m in detail["mentions"]] == [first["event_id"]]
    assert detail["mentions"][0]["why"]


@pytest.mark.parametrize("a, b, directed, unit", [
    ("NOR", "KEN", False, "event"), ("KEN", "NOR", True, "mention"),
    ("test-minister-nor", "KEN", False, "mention"), ("PRT", "PRT", False, "event"),
])
def test_dyad_series_equals_the_analysis_service(db, a, b, directed, unit):
    """The HTTP series narrows records with store filters first; the numbers must not move."""
    from tidings.service import analysis

    expected = web._rows(analysis.dyad_series(db, a, b, by="week", directed=directed,
                                              unit=unit))
    assert web.dyad_series(db, a, b, by="week", directed=directed, unit=unit)["series"] == expected


def test_uploads_are_kept_beside_the_store_and_named_in_its_rejections(tmp_path):
    db = build_store(tmp_path / "kept.db")
    client = TestClient(create_app(db, token=TOKEN))
    response = client.post("/articles", params={"filename": "notes.txt"},
                           content=b"no date line here",
                           headers={"Authorization": f"Bearer {TOKEN}",
                                    "Content-Type": "text/plain"})
    assert response.json()["rejections"][0]["origin"] == "upload:notes.txt"
    kept = list(web.uploads_folder(db).iterdir())
    assert [path.read_bytes() for path in kept] == [b"no date line here"]
    stored = web.open_store(db).rejections()
    assert stored[0]["origin"] == str(kept[0])
    web.close_stores()


def test_an_upload_stores_what_the_cli_ingest_stores(tmp_path):
    """Same readers, same pipeline, same records: HTTP JSON and a JSON Lines file."""
    from tidings.service.articles import ingest

    article = {"id": "own-1", "date": "2025-03-10", "source": "Test Wire",
               "text": "The prime minister of Canada met the president of Mexico in Ottawa "
                       "on Monday to discuss trade. Officials said talks would resume in May."}
    via_http = build_store(tmp_path / "http.db", [])
    client = TestClient(create_app(via_http, token=TOKEN))
    report = client.post("/articles", json=article,
                         headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert (report["stored"], report["rejected"], report["article_ids"]) == (1, 0, ["own-1"])

    lines = tmp_path / "batch.jsonl"
    lines.write_text(json.dumps(article) + "\n", "utf-8")
    via_cli = tmp_path / "cli.db"
    assert ingest([lines], via_cli).events == report["events"]

    def records(db):
        return TestClient(create_app(db)).get("/events", params={"article": "own-1"}).json()
    assert records(via_http) == records(via_cli)
    assert records(via_http)["events"], "the pipeline found no event in the test article"
    web.close_stores()
