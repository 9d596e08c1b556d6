-- depthflow schema, migration 2: stream mode (live WebSocket books).
-- Idempotent like V001 (IF NOT EXISTS / OR REPLACE); never edit V001.
--
-- Stream mode writes the same tables as poll mode. Its windows can cover a book that was not
-- known-good for part of the minute (before its snapshot, after a sequence gap, a checksum
-- failure, a disconnect, a stale feed or a job restore; or crossed / one-sided): such a window
-- carries the reason in book_status instead of inventing numbers, its mid is time-weighted over
-- the good_ms milliseconds the book was usable, and no execution quote or slice is written when
-- the book was not usable at the window's end. Poll-mode rows keep the defaults ('ok', 0).

ALTER TABLE mid_price_1m ADD COLUMN IF NOT EXISTS book_status LowCardinality(String) DEFAULT 'ok' AFTER spread_bps;

ALTER TABLE mid_price_1m ADD COLUMN IF NOT EXISTS good_ms UInt32 DEFAULT 0 AFTER book_status;

-- Bronze: a WebSocket feed sends several messages of one market within a millisecond, which
-- V001's key (exchange, market, kind, received_at) would collapse into one row. The payload's
-- hash joins the key (64-bit FNV-1a of the UTF-8 payload, written by the sink; ClickHouse does not
-- allow a key column with a default expression), so distinct messages stay distinct rows while a
-- retried write of the same message still collapses. Rows written before V002 have 0. (Order
-- within a millisecond is not kept in this table: replay streams from capture files.)
ALTER TABLE raw_order_books ADD COLUMN IF NOT EXISTS payload_hash UInt64, MODIFY ORDER BY (exchange, market, kind, received_at, payload_hash);

-- The BI contract keeps its columns and meaning; it now leaves out the windows that have no mid
-- (samples = 0: the book was never usable in the minute). Windows with a partial mid show, and
-- mid_price_1m.book_status says why they are partial.
CREATE OR REPLACE VIEW bi_mid_price_1m AS
SELECT window_start, market, exchange, mid
FROM mid_price_1m FINAL
WHERE samples > 0;
