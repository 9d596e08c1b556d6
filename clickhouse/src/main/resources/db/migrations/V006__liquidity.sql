-- depthflow schema, migration 6: liquidity analytics (fee-inclusive prices, the routed split across
-- venues, depth bands and imbalance, cross-venue dislocations). The definitions are the README's
-- "Liquidity analytics" section; this file stores them.
-- Idempotent like V001 (IF NOT EXISTS / OR REPLACE); never edit an applied migration.
--
-- The new tables follow the rules of the other per-minute tables: ReplacingMergeTree(version) on
-- the natural key, version = completeness rank << 42 | write time (RowVersions: the exchanges
-- behind the row, then their polls or usable hundredths of a second), so a row rebuilt from less
-- data never replaces a more complete one; the completeness columns of V003 (exchanges,
-- exchange_samples, expected_samples, good_ms, expected_exchanges) and a `partial` flag in the
-- views. Results are Decimal(38, 18) (rounded half-even at the 18th fraction digit), basis points
-- Float64. Every row is computed on the venues' window-end books (poll mode: the window's last
-- book; stream mode: the usable book at the window's end).

-- The all-in (fee-inclusive) quote beside the fee-free one. Rows written before V006: fee_bps 0,
-- all_in_price 0, all_in_complete false (no all-in quote: left out of bi_best_execution_all_in_1m).
ALTER TABLE execution_quotes_1m ADD COLUMN IF NOT EXISTS fee_bps Float64 DEFAULT 0 AFTER good_ms;

ALTER TABLE execution_quotes_1m ADD COLUMN IF NOT EXISTS all_in_price Decimal(38, 18) DEFAULT 0 AFTER fee_bps;

ALTER TABLE execution_quotes_1m ADD COLUMN IF NOT EXISTS all_in_complete Bool DEFAULT false AFTER all_in_price;

-- Gold: the optimal split of a market order of `notional` cash (fees included) across the venues
-- of a market, per (window, market, side, notional). Legs are parallel arrays in venue-name order,
-- venues without a fill left out. best_single_exchange = '' when no venue completes alone (then
-- best_single_all_in_price and savings_bps are 0 here and NULL in the view). mid: the mean of the
-- venues' window-end mids (the reference of the cost view).
CREATE TABLE IF NOT EXISTS routed_execution_1m
(
    window_start              DateTime64(3, 'UTC'),
    market                    LowCardinality(String),
    side                      LowCardinality(String),          -- 'buy' | 'sell'
    notional                  UInt32,
    complete                  Bool,
    all_in_price              Decimal(38, 18),
    base_qty                  Decimal(38, 18),
    cash                      Decimal(38, 18),
    leg_exchanges             Array(LowCardinality(String)),
    leg_cash                  Array(Decimal(38, 18)),
    leg_base_qty              Array(Decimal(38, 18)),
    leg_levels                Array(UInt32),
    best_single_exchange      LowCardinality(String),
    best_single_all_in_price  Decimal(38, 18),
    savings_bps               Float64,
    mid                       Decimal(38, 18),
    exchanges                 Array(LowCardinality(String)),
    exchange_samples          UInt32,
    expected_samples          UInt32,
    good_ms                   UInt32,
    expected_exchanges        UInt8,
    version                   UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (market, side, notional, window_start);

-- Gold: depth within band_bps of the mid, per venue and consolidated (exchange 'all': every
-- venue's levels around the mean of the venues' window-end mids). imbalance is NULL when both
-- notionals are 0. tw_*: stream mode's time-weighted averages over the window's usable time
-- (NULL in poll mode and where not computed).
CREATE TABLE IF NOT EXISTS liquidity_bands_1m
(
    window_start        DateTime64(3, 'UTC'),
    market              LowCardinality(String),
    exchange            LowCardinality(String),
    band_bps            UInt32,
    mid                 Decimal(38, 18),
    bid_qty             Decimal(38, 18),
    bid_notional        Decimal(38, 18),
    ask_qty             Decimal(38, 18),
    ask_notional        Decimal(38, 18),
    imbalance           Nullable(Decimal(38, 18)),
    tw_bid_notional     Nullable(Decimal(38, 18)),
    tw_ask_notional     Nullable(Decimal(38, 18)),
    samples             UInt32,
    exchanges           Array(LowCardinality(String)),
    exchange_samples    UInt32,
    expected_samples    UInt32,
    good_ms             UInt32,
    expected_exchanges  UInt8,
    version             UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (market, exchange, band_bps, window_start);

-- Gold: cross-venue dislocations at the window's end, per ordered pair (buy on buy_exchange, sell
-- on sell_exchange), fees included; only pairs with profit > 0. open_ms: stream mode, the
-- milliseconds of the window during which the pair was dislocated (NULL in poll mode).
CREATE TABLE IF NOT EXISTS arbitrage_1m
(
    window_start        DateTime64(3, 'UTC'),
    market              LowCardinality(String),
    buy_exchange        LowCardinality(String),
    sell_exchange       LowCardinality(String),
    base_qty            Decimal(38, 18),
    cost                Decimal(38, 18),
    profit              Decimal(38, 18),
    profit_bps          Float64,
    open_ms             Nullable(UInt32),
    exchanges           Array(LowCardinality(String)),
    exchange_samples    UInt32,
    expected_samples    UInt32,
    good_ms             UInt32,
    expected_exchanges  UInt8,
    version             UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (market, buy_exchange, sell_exchange, window_start);

-- The BI contract (README, "Liquidity views"). The completeness columns and `partial` are those of
-- bi_best_execution_1m, appended after the contract's columns.

-- The best venue by all-in price among those whose all-in quote completes (ties: ascending venue
-- name); no row when none completes. exchanges etc.: over the venues that quoted the window.
CREATE OR REPLACE VIEW bi_best_execution_all_in_1m AS
SELECT b.window_start AS window_start, b.market AS market, b.side AS side, b.notional AS notional,
       b.best_exchange AS exchange, b.best_all_in_price AS all_in_price, b.best_fee_bps AS fee_bps,
       b.candidates AS candidates, b.quoted AS exchanges, b.q_samples AS exchange_samples,
       b.q_expected AS expected_samples, b.q_good_ms AS good_ms,
       r.expected_exchanges AS expected_exchanges,
       toUInt8((b.q_expected > 0 AND b.q_samples < b.q_expected)
               OR (b.q_good_ms > 0 AND b.q_good_ms < 60000 * length(b.quoted))
               OR length(b.quoted) < r.expected_exchanges) AS partial
FROM (
    SELECT window_start, market, side, notional,
           argMinIf(exchange, (if(side = 'buy', all_in_price, -all_in_price), exchange), all_in_complete) AS best_exchange,
           argMinIf(all_in_price, (if(side = 'buy', all_in_price, -all_in_price), exchange), all_in_complete) AS best_all_in_price,
           argMinIf(fee_bps, (if(side = 'buy', all_in_price, -all_in_price), exchange), all_in_complete) AS best_fee_bps,
           toUInt8(countIf(all_in_complete)) AS candidates,
           arraySort(groupArray(toString(exchange))) AS quoted,
           toUInt32(sum(samples)) AS q_samples,
           toUInt32(sum(expected_samples)) AS q_expected,
           toUInt32(sum(good_ms)) AS q_good_ms
    FROM execution_quotes_1m FINAL
    GROUP BY window_start, market, side, notional
) AS b
LEFT JOIN (SELECT window_start, market, side, notional, expected_exchanges FROM routed_execution_1m FINAL) AS r
    ON r.window_start = b.window_start AND r.market = b.market AND r.side = b.side AND r.notional = b.notional
WHERE b.candidates > 0;

-- The routed split; without a best single venue the best_single/savings columns are NULL.
CREATE OR REPLACE VIEW bi_routed_execution_1m AS
SELECT window_start, market, side, notional, complete, all_in_price, base_qty,
       leg_exchanges, leg_cash, leg_base_qty,
       if(has_best_single, toString(best_single_exchange), NULL) AS best_single_exchange,
       if(has_best_single, best_single_all_in_price, NULL) AS best_single_all_in_price,
       if(has_best_single, savings_bps, NULL) AS savings_bps,
       leg_levels, mid, exchanges, exchange_samples, expected_samples, good_ms, expected_exchanges,
       toUInt8((expected_samples > 0 AND exchange_samples < expected_samples)
               OR (good_ms > 0 AND good_ms < 60000 * length(exchanges))
               OR length(exchanges) < expected_exchanges) AS partial
FROM (SELECT *, best_single_exchange != '' AS has_best_single FROM routed_execution_1m FINAL);

-- Depth bands per venue and consolidated (exchange = 'all').
CREATE OR REPLACE VIEW bi_liquidity_1m AS
SELECT window_start, market, exchange, band_bps, bid_qty, bid_notional, ask_qty, ask_notional, imbalance,
       mid, tw_bid_notional, tw_ask_notional,
       samples, exchanges, exchange_samples, expected_samples, good_ms, expected_exchanges,
       toUInt8(if(exchange = 'all',
                  (expected_samples > 0 AND exchange_samples < expected_samples)
                      OR (good_ms > 0 AND good_ms < 60000 * length(exchanges))
                      OR length(exchanges) < expected_exchanges,
                  (expected_samples > 0 AND samples < expected_samples)
                      OR (good_ms > 0 AND good_ms < 60000))) AS partial
FROM liquidity_bands_1m FINAL;

-- Cross-venue dislocations; seconds_open is NULL in poll mode.
CREATE OR REPLACE VIEW bi_arbitrage_1m AS
SELECT window_start, market, buy_exchange, sell_exchange, base_qty, cost, profit, profit_bps,
       open_ms / 1000 AS seconds_open,
       exchanges, exchange_samples, expected_samples, good_ms, expected_exchanges,
       toUInt8((expected_samples > 0 AND exchange_samples < expected_samples)
               OR (good_ms > 0 AND good_ms < 60000 * length(exchanges))
               OR length(exchanges) < expected_exchanges) AS partial
FROM arbitrage_1m FINAL;

-- Treasury's backtest of three routing policies over the stored minutes: per day, market, side and
-- notional, the average all-in cost in bps against the mid (the mean of the venues' window-end
-- mids, routed_execution_1m.mid; positive = paid above the mid for a buy, received below it for a
-- sell), one row per policy:
--   policy 'single', exchange = the venue: always that venue (minutes where its all-in quote completes)
--   policy 'best_single', exchange '': each minute the best single venue (minutes with one)
--   policy 'routed', exchange '': each minute the routed split (minutes where it completes)
-- minutes: how many minutes the average is over.
CREATE OR REPLACE VIEW bi_routing_cost_1d AS
SELECT day, market, side, notional, policy, exchange, avg(cost_bps) AS avg_cost_bps, count() AS minutes
FROM (
    SELECT toDate(r.window_start) AS day, r.market AS market, r.side AS side, r.notional AS notional,
           'single' AS policy, toString(q.exchange) AS exchange,
           toFloat64(if(r.side = 'buy', q.all_in_price - r.mid, r.mid - q.all_in_price)) / toFloat64(r.mid) * 10000 AS cost_bps
    FROM routed_execution_1m AS r FINAL
    INNER JOIN (SELECT * FROM execution_quotes_1m FINAL WHERE all_in_complete) AS q
        ON q.window_start = r.window_start AND q.market = r.market AND q.side = r.side AND q.notional = r.notional
    UNION ALL
    SELECT toDate(window_start), market, side, notional, 'best_single', '',
           toFloat64(if(side = 'buy', best_single_all_in_price - mid, mid - best_single_all_in_price)) / toFloat64(mid) * 10000
    FROM routed_execution_1m FINAL
    WHERE best_single_exchange != ''
    UNION ALL
    SELECT toDate(window_start), market, side, notional, 'routed', '',
           toFloat64(if(side = 'buy', all_in_price - mid, mid - all_in_price)) / toFloat64(mid) * 10000
    FROM routed_execution_1m FINAL
    WHERE complete
)
GROUP BY day, market, side, notional, policy, exchange;
