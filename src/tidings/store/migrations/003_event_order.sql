-- tidings store, schema 3: an index in the order `query_events` pages through (dated
-- events by first day, undated last, then event id), so a page reads only its own rows
-- instead of sorting every match; and names, which `--entity` matches besides kb ids.
CREATE INDEX events_page_order ON events(coalesce(date_start, '9999-12-31'), event_id);
CREATE INDEX entities_name ON entities(name);
