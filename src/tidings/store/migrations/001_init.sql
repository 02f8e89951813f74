-- tidings store, schema 1: articles, their events and entities, quotes, rejections.
-- A migration is a numbered file in this folder; tidings.store applies the pending ones
-- in order, each in one transaction, and records it in schema_version.

CREATE TABLE articles (
    article_id       TEXT PRIMARY KEY,
    date             TEXT NOT NULL,             -- ISO article date
    title            TEXT,
    source           TEXT,                      -- the outlet
    url              TEXT,
    language         TEXT,
    origin           TEXT,                      -- "path:line" it was read from
    text             TEXT NOT NULL,
    text_sha256      TEXT NOT NULL,             -- tells a changed text under the same id
    n_sentences      INTEGER NOT NULL DEFAULT 0,
    n_events         INTEGER NOT NULL DEFAULT 0,
    tidings_version  TEXT NOT NULL,             -- the version that extracted its events
    ingested_at      TEXT NOT NULL
);
CREATE INDEX articles_date ON articles(date);

CREATE TABLE events (
    event_id             TEXT PRIMARY KEY,
    article_id           TEXT NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
    event_type           TEXT NOT NULL,
    mode                 TEXT,
    status               TEXT NOT NULL,
    date_value           TEXT,
    date_precision       TEXT,
    date_start           TEXT,                  -- first and last day the date covers,
    date_end             TEXT,                  -- so that range filters work on weeks too
    quad_class           TEXT,
    score                REAL,
    cameo                TEXT,
    certainty            TEXT,
    confidence           REAL,
    location_name        TEXT,
    location_country     TEXT,
    actor_countries      TEXT NOT NULL DEFAULT '',   -- space-separated, for display
    recipient_countries  TEXT NOT NULL DEFAULT '',
    evidence_sentence    TEXT NOT NULL,
    trigger              TEXT NOT NULL,
    record               TEXT NOT NULL          -- the full event-record.md JSON
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_date ON events(date_start, event_id);
CREATE INDEX events_type_date ON events(event_type, date_start);
CREATE INDEX events_status ON events(status);
CREATE INDEX events_quad ON events(quad_class);

CREATE TABLE entities (
    event_id   TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('actor', 'recipient')),
    position   INTEGER NOT NULL,               -- index in the record's actor/recipient list
    text       TEXT NOT NULL,
    name       TEXT,
    kb_id      TEXT,
    wikidata   TEXT,
    country    TEXT,
    sector     TEXT,
    office     TEXT,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    PRIMARY KEY (event_id, role, position)
);
CREATE INDEX entities_country ON entities(country, role, event_id);
CREATE INDEX entities_kb_id ON entities(kb_id);

CREATE TABLE quotes (
    quote_id         TEXT PRIMARY KEY,
    article_id       TEXT NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,
    speaker_name     TEXT,
    speaker_kb_id    TEXT,
    speaker_country  TEXT,
    cue              TEXT,
    content          TEXT NOT NULL,
    start            INTEGER NOT NULL,
    "end"            INTEGER NOT NULL,
    record           TEXT NOT NULL              -- Quote.to_record() JSON
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_speaker ON quotes(speaker_kb_id);

-- One row per distinct problem: re-reading the same bad input updates it, so a
-- repeated ingest leaves the same row counts.
CREATE TABLE rejections (
    origin            TEXT NOT NULL,
    line              INTEGER NOT NULL DEFAULT 0,   -- 0: the whole file
    code              TEXT NOT NULL,
    reason            TEXT NOT NULL,
    article_id        TEXT,
    first_rejected_at TEXT NOT NULL,
    rejected_at       TEXT NOT NULL,
    times_seen        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (origin, line, code)
);
CREATE INDEX rejections_time ON rejections(rejected_at);
