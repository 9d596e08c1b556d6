-- depthflow schema, migration 1: the poll pipeline.
-- Applied idempotently at job start (depthflow_schema_migrations records it) and usable as a
-- docker-entrypoint-initdb.d script (every statement is IF NOT EXISTS / OR REPLACE).
-- All timestamps are DateTime64(3, 'UTC'). Prices, sizes and notionals are Decimal(38, 18):
-- exchange wire values (at most 10 fraction digits) are stored exactly; derived values (mids,
-- average prices, VWAPs) are rounded half-even at the 18th fraction digit.
-- Every table is a ReplacingMergeTree keyed by its natural key with a version column, so a row
-- written again by a replay or an at-least-once retry collapses to one row under FINAL.

-- Bronze: one row per poll response, payload verbatim. TTL is changed with the job option
-- clickhouse.raw-ttl-days (ALTER TABLE ... MODIFY TTL at start).
CREATE TABLE IF NOT EXISTS raw_order_books
(
    exchange     LowCardinality(String),
    market       LowCardinality(String),
    kind         LowCardinality(String),
    received_at  DateTime64(3, 'UTC'),
    http_status  UInt16,
    payload      String CODEC(ZSTD(3)),
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMMDD(received_at)
ORDER BY (exchange, market, kind, received_at)
TTL toDateTime(received_at) + INTERVAL 30 DAY;

-- Everything that could not be used, with the reason and the raw payload.
CREATE TABLE IF NOT EXISTS ingest_errors
(
    exchange     LowCardinality(String),
    market       LowCardinality(String),
    received_at  DateTime64(3, 'UTC'),
    error_type   LowCardinality(String),
    error        String,
    payload      String CODEC(ZSTD(3)),
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(received_at)
ORDER BY (exchange, market, error_type, received_at);

-- Silver: per poll and side, the shortest prefix of levels (best first) reaching $100k notional.
CREATE TABLE IF NOT EXISTS order_book_slices
(
    exchange             LowCardinality(String),
    market               LowCardinality(String),
    received_at          DateTime64(3, 'UTC'),
    side                 LowCardinality(String),          -- 'bid' | 'ask'
    prices               Array(Decimal(38, 18)),
    quantities           Array(Decimal(38, 18)),
    levels               UInt16,
    cumulative_notional  Decimal(38, 18),
    vwap_100k            Decimal(38, 18),
    complete             Bool,
    version              UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMMDD(received_at)
ORDER BY (exchange, market, side, received_at);

-- Gold: mid per (window, market, exchange), exchange 'all' = across exchanges.
CREATE TABLE IF NOT EXISTS mid_price_1m
(
    window_start  DateTime64(3, 'UTC'),
    market        LowCardinality(String),
    exchange      LowCardinality(String),
    mid           Decimal(38, 18),
    samples       UInt32,
    best_bid      Decimal(38, 18),
    best_ask      Decimal(38, 18),
    spread_bps    Float64,
    version       UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (market, exchange, window_start);

-- Gold: execution quotes per (window, exchange, market, side, notional) on the window's last book.
CREATE TABLE IF NOT EXISTS execution_quotes_1m
(
    window_start     DateTime64(3, 'UTC'),
    exchange         LowCardinality(String),
    market           LowCardinality(String),
    side             LowCardinality(String),              -- 'buy' | 'sell'
    notional         UInt32,
    complete         Bool,
    avg_price        Decimal(38, 18),
    worst_price      Decimal(38, 18),
    base_qty         Decimal(38, 18),
    filled_notional  Decimal(38, 18),
    levels           UInt16,
    slippage_bps     Float64,
    book_time        DateTime64(3, 'UTC'),
    version          UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (market, exchange, side, notional, window_start);

-- Gold: the best venue per (window, market, side, notional) among exchanges that filled completely.
CREATE TABLE IF NOT EXISTS best_execution_1m
(
    window_start  DateTime64(3, 'UTC'),
    market        LowCardinality(String),
    side          LowCardinality(String),
    notional      UInt32,
    exchange      LowCardinality(String),
    avg_price     Decimal(38, 18),
    candidates    UInt8,
    version       UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (market, side, notional, window_start);

-- The BI contract. Column names and meanings are stable; the tables behind them may change.
CREATE OR REPLACE VIEW bi_mid_price_1m AS
SELECT window_start, market, exchange, mid
FROM mid_price_1m FINAL;

CREATE OR REPLACE VIEW bi_best_execution_1m AS
SELECT window_start, market, side, notional, exchange, avg_price
FROM best_execution_1m FINAL;
