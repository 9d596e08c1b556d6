-- depthflow schema, migration 3: completeness.
-- Idempotent like V001 and V002 (IF NOT EXISTS / OR REPLACE); never edit an applied migration.
--
-- Every gold row says how much data it was computed from, and that amount decides which row of
-- a key wins under FINAL before the write time does: the sink writes
-- version = rank << 42 | write time (ms), rank = exchanges behind the row (3 bits) above the
-- polls (poll mode) or usable hundredths of a second (stream mode) behind it (16 bits). A row
-- rebuilt from less data (a window re-emitted from a checkpoint with fewer polls, a stream window
-- re-built after a restore, an `all` mid averaged over fewer exchanges) therefore never replaces
-- a more complete one; a row from as much data or more (a retry, a backfill) still does. Rows
-- written before V003 have a version below 2^42 (rank 0), so any row written now replaces them.
--
-- New columns (0 / [] on rows written before V003):
--   expected_samples  poll mode: the polls the minute should have had at the configured interval
--                     (0 = unknown: replay, Kafka, stream mode); `all` and best execution: summed
--                     over the exchanges behind the row.
--   exchanges         the exchanges behind the row, sorted: `all`: those averaged; best execution:
--                     those that quoted the window (complete or not); per exchange: that exchange.
--   exchange_samples  `all` and best execution: the polls of the exchanges behind the row, summed
--                     (per exchange rows: = samples).
--   expected_exchanges `all` and best execution: the exchanges the job polls or streams for the
--                     market (0 = unknown: replay, Kafka; and on per-exchange rows).
--   samples, good_ms  on execution_quotes_1m (polls / usable milliseconds of the quote's window);
--                     on best_execution_1m good_ms is the exchanges' usable time, summed.

ALTER TABLE mid_price_1m ADD COLUMN IF NOT EXISTS expected_samples UInt32 DEFAULT 0 AFTER good_ms;

ALTER TABLE mid_price_1m ADD COLUMN IF NOT EXISTS exchanges Array(LowCardinality(String)) DEFAULT [] AFTER expected_samples;

ALTER TABLE mid_price_1m ADD COLUMN IF NOT EXISTS exchange_samples UInt32 DEFAULT 0 AFTER exchanges;

ALTER TABLE mid_price_1m ADD COLUMN IF NOT EXISTS expected_exchanges UInt8 DEFAULT 0 AFTER exchange_samples;

ALTER TABLE execution_quotes_1m ADD COLUMN IF NOT EXISTS samples UInt32 DEFAULT 0 AFTER book_time;

ALTER TABLE execution_quotes_1m ADD COLUMN IF NOT EXISTS expected_samples UInt32 DEFAULT 0 AFTER samples;

ALTER TABLE execution_quotes_1m ADD COLUMN IF NOT EXISTS good_ms UInt32 DEFAULT 0 AFTER expected_samples;

ALTER TABLE best_execution_1m ADD COLUMN IF NOT EXISTS exchanges Array(LowCardinality(String)) DEFAULT [] AFTER candidates;

ALTER TABLE best_execution_1m ADD COLUMN IF NOT EXISTS exchange_samples UInt32 DEFAULT 0 AFTER exchanges;

ALTER TABLE best_execution_1m ADD COLUMN IF NOT EXISTS expected_samples UInt32 DEFAULT 0 AFTER exchange_samples;

ALTER TABLE best_execution_1m ADD COLUMN IF NOT EXISTS good_ms UInt32 DEFAULT 0 AFTER expected_samples;

ALTER TABLE best_execution_1m ADD COLUMN IF NOT EXISTS expected_exchanges UInt8 DEFAULT 0 AFTER good_ms;

-- The BI contract keeps its columns and their meaning; completeness columns are appended.
--   samples           per exchange: polls averaged (poll mode), book changes (stream); `all`:
--                     exchanges averaged
--   expected_samples  as above (0 = unknown)
--   good_ms           stream mode: usable milliseconds (`all`: summed over its exchanges)
--   book_status       stream mode: `ok`, or why the book was not usable all minute
--   exchanges         the exchanges behind the row
--   exchange_samples  the polls behind the row (poll mode)
--   expected_exchanges `all`: the exchanges configured for the market (0 = unknown)
--   partial           1 when the row is known to come from less data than the minute should have
--                     had: fewer polls than expected, a book not usable all minute, or (`all`)
--                     fewer exchanges than configured
CREATE OR REPLACE VIEW bi_mid_price_1m AS
SELECT window_start, market, exchange, mid,
       samples, expected_samples, good_ms, book_status, exchanges, exchange_samples, expected_exchanges,
       toUInt8(if(exchange = 'all',
                  (expected_samples > 0 AND exchange_samples < expected_samples)
                      OR (good_ms > 0 AND good_ms < 60000 * length(exchanges))
                      OR length(exchanges) < expected_exchanges,
                  (expected_samples > 0 AND samples < expected_samples) OR book_status != 'ok')) AS partial
FROM mid_price_1m FINAL
WHERE samples > 0;

--   candidates        exchanges that could fill the whole notional
--   exchanges, exchange_samples, expected_samples, good_ms, expected_exchanges, partial: as for
--                     bi_mid_price_1m's `all` rows, over the exchanges that quoted the window
CREATE OR REPLACE VIEW bi_best_execution_1m AS
SELECT window_start, market, side, notional, exchange, avg_price,
       candidates, exchanges, exchange_samples, expected_samples, good_ms, expected_exchanges,
       toUInt8((expected_samples > 0 AND exchange_samples < expected_samples)
               OR (good_ms > 0 AND good_ms < 60000 * length(exchanges))
               OR length(exchanges) < expected_exchanges) AS partial
FROM best_execution_1m FINAL;
