-- Merged records now follow the event-record contract (event_id, article_id, contract
-- attribution, provenance, confidence) and carry the combined view in combined_certainty.
-- Marking every merged event stale makes the next merge or merged query rewrite it from
-- its mentions; no merge decision is lost.
INSERT OR IGNORE INTO merge_stale (merged_id) SELECT merged_id FROM merged_events;
