-- tidings store, schema 3: an index in the order `query_events` pages through (dated
-- events by first day, undated last, then event id), so a page reads only its own rows
-- instead of sorting every match. It also carries the columns most filters test, so a
-- date-range scan checks them without visiting the table. And an index on entity names,
-- which `--entity` matches besides kb ids.
CREATE INDEX events_page_order ON events(coalesce(date_start, '9999-12-31'), event_id,
                                         date_end, event_type, status, quad_class);
CREATE INDEX entities_name ON entities(name);
