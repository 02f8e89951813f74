-- tidings store, schema 5: the page order (see 003) per event type, so a type filter with
-- a date range reads only that type's events of the range, already in page order, instead
-- of every event of the type followed by a sort.
CREATE INDEX events_type_page_order ON events(event_type, coalesce(date_start, '9999-12-31'),
                                              event_id, date_end);
