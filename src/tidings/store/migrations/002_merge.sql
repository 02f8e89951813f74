-- tidings store, schema 2: merged events (one row per real event) over the event mentions.
-- Written by tidings.merge.update_store after each ingest batch; never by hand.

CREATE TABLE merged_events (
    merged_id            TEXT PRIMARY KEY,
    event_type           TEXT NOT NULL,
    mode                 TEXT,
    status               TEXT NOT NULL,          -- combined status of the mentions
    date_start           TEXT,                   -- first and last day of the event's date
    date_end             TEXT,
    quad_class           TEXT,
    score                REAL,
    certainty            TEXT,                   -- combined: confirmed, disputed, ...
    confidence           REAL,
    num_mentions         INTEGER NOT NULL,
    num_sources          INTEGER NOT NULL,
    num_articles         INTEGER NOT NULL,
    actor_countries      TEXT NOT NULL DEFAULT '',   -- space-separated, for filters
    recipient_countries  TEXT NOT NULL DEFAULT '',
    record               TEXT NOT NULL,          -- the merged record JSON, mentions included
    updated_at           TEXT NOT NULL
);
CREATE INDEX merged_events_date ON merged_events(date_start, merged_id);
CREATE INDEX merged_events_sources ON merged_events(num_sources);
CREATE INDEX merged_events_type ON merged_events(event_type, date_start);

-- Which merged event each stored event mention belongs to, and the scores that put it there.
CREATE TABLE merged_mentions (
    event_id     TEXT PRIMARY KEY REFERENCES events(event_id) ON DELETE CASCADE,
    merged_id    TEXT NOT NULL REFERENCES merged_events(merged_id) ON DELETE CASCADE,
    merge_score  REAL,                           -- null for the mention that founded it
    scores       TEXT NOT NULL,                  -- JSON: score per criterion
    merged_at    TEXT NOT NULL
);
CREATE INDEX merged_mentions_merged ON merged_mentions(merged_id);

-- A planned event and the occurred event it became: linked, never merged.
CREATE TABLE merged_links (
    planned_id   TEXT NOT NULL REFERENCES merged_events(merged_id) ON DELETE CASCADE,
    occurred_id  TEXT NOT NULL REFERENCES merged_events(merged_id) ON DELETE CASCADE,
    score        REAL NOT NULL,
    scores       TEXT NOT NULL,
    PRIMARY KEY (planned_id, occurred_id)
);
CREATE INDEX merged_links_occurred ON merged_links(occurred_id);

-- The blocking index: a new mention is compared only with events sharing a key.
CREATE TABLE merge_blocks (
    party      TEXT NOT NULL,
    bucket     INTEGER NOT NULL,
    merged_id  TEXT NOT NULL REFERENCES merged_events(merged_id) ON DELETE CASCADE,
    PRIMARY KEY (party, bucket, merged_id)
) WITHOUT ROWID;
CREATE INDEX merge_blocks_merged ON merge_blocks(merged_id);

-- Merged events that lost a mention (its article was replaced): recomputed on next update.
CREATE TABLE merge_stale (merged_id TEXT PRIMARY KEY);
CREATE TRIGGER merged_mentions_gone AFTER DELETE ON merged_mentions
BEGIN
    INSERT OR IGNORE INTO merge_stale (merged_id) VALUES (old.merged_id);
END;
