-- tidings store, schema 6: when entity filters drive a query, each candidate event is
-- looked up by id only to test its dates, type, status and quad class and to sort it;
-- this index answers those lookups without reading the table row (and its record JSON).
CREATE INDEX events_id_filters ON events(event_id, date_start, date_end, event_type, status,
                                         quad_class);
