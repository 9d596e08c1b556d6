package io.depthflow.clickhouse.internal;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.model.BestExecution;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.MidPrice;

/**
 * The {@code version} of the gold rows ({@code ReplacingMergeTree(version)}, read with {@code
 * FINAL}): completeness first, write time second, so a row rebuilt from less data never replaces a
 * more complete row of the same key, while a row from as much data or more (a retried write, a
 * backfill with fixed code) still does. DECISIONS.md, "Why the version rule is what it is".
 *
 * <pre>
 * bit 63        0 (the value stays a non-negative long; the column is UInt64)
 * bits 60..42   rank: exchanges behind the row (3 bits, capped at 7) then amount (16 bits)
 * bits 41..0    write time, epoch milliseconds (2^42 ms reaches the year 2109)
 * </pre>
 *
 * <p>Amount, per exchange behind the row, summed: in stream mode ({@code good_ms} &gt; 0) the
 * usable time in hundredths of a second ({@code good_ms / 10}, at most 6,000 per exchange); in poll
 * mode the polls ({@code samples}). Capped at 65,535. A per-exchange row has one exchange behind
 * it; an {@code all} mid or a best-execution row has as many as it was computed from.
 *
 * <p>Bronze and silver rows ({@code raw_order_books}, {@code order_book_slices}) and {@code
 * ingest_errors} are per poll or per message: a replay writes the same row again from the same
 * input, never from less, so their version stays the write time ({@link #writeTimeOnly}).
 */
@Internal
public final class RowVersions {

    static final int TIME_BITS = 42;
    static final int AMOUNT_BITS = 16;
    static final int EXCHANGE_BITS = 3;
    static final long MAX_AMOUNT = (1L << AMOUNT_BITS) - 1;
    static final long MAX_EXCHANGES = (1L << EXCHANGE_BITS) - 1;
    static final long TIME_MASK = (1L << TIME_BITS) - 1;

    private RowVersions() {}

    /**
     * The completeness rank: {@code exchanges} (capped at 7) above {@code amount} (capped at
     * 65,535). Negative inputs count as 0.
     */
    public static long rank(long exchanges, long amount) {
        long e = Math.min(Math.max(exchanges, 0), MAX_EXCHANGES);
        long a = Math.min(Math.max(amount, 0), MAX_AMOUNT);
        return e << AMOUNT_BITS | a;
    }

    /** {@code rank << 42 | writeTimeMillis}. */
    public static long version(long rank, long writeTimeMillis) {
        if (writeTimeMillis < 0 || writeTimeMillis > TIME_MASK) {
            throw new IllegalArgumentException(
                    "write time " + writeTimeMillis + " ms is outside 0..2^42");
        }
        if (rank < 0 || rank >= 1L << (63 - TIME_BITS)) {
            throw new IllegalArgumentException("rank " + rank + " is outside 0..2^21");
        }
        return rank << TIME_BITS | writeTimeMillis;
    }

    /** The rank part of a version. */
    public static long rankOf(long version) {
        return version >>> TIME_BITS;
    }

    /** The write-time part of a version. */
    public static long writeTimeOf(long version) {
        return version & TIME_MASK;
    }

    /**
     * The amount of data behind one exchange's minute: usable hundredths of a second in stream mode
     * ({@code goodMs > 0}), else polls.
     */
    public static long amount(long samples, long goodMs) {
        return goodMs > 0 ? goodMs / 10 : Math.max(samples, 0);
    }

    /** For bronze, silver and error rows: rank 0, the write time decides. */
    public static long writeTimeOnly(long writeTimeMillis) {
        return version(0, writeTimeMillis);
    }

    /**
     * A {@code mid_price_1m} row: per exchange, one exchange and its polls or usable time; {@code
     * all}, the exchanges it averaged ({@link MidPrice#exchanges}, or {@code samples} when rows
     * older than the field carry none) and their summed amounts.
     */
    public static long midPrice(MidPrice p, long writeTimeMillis) {
        return version(
                rank(
                        exchangeCount(p.exchange, p.exchanges, p.samples),
                        MidPrice.ALL_EXCHANGES.equals(p.exchange)
                                ? amount(p.exchangeSamples, p.goodMs)
                                : amount(p.samples, p.goodMs)),
                writeTimeMillis);
    }

    /** An {@code execution_quotes_1m} row: one exchange, the polls or usable time of its window. */
    public static long executionQuote(ExecutionQuote q, long writeTimeMillis) {
        return version(rank(1, amount(q.samples, q.goodMs)), writeTimeMillis);
    }

    /**
     * A {@code best_execution_1m} row: the exchanges that quoted the window ({@link
     * BestExecution#exchanges}, at least {@code candidates}) and their summed amounts.
     */
    public static long bestExecution(BestExecution b, long writeTimeMillis) {
        long exchanges = Math.max(b.exchanges == null ? 0 : b.exchanges.length, b.candidates);
        return version(rank(exchanges, amount(b.exchangeSamples, b.goodMs)), writeTimeMillis);
    }

    /**
     * A row of the liquidity tables ({@code routed_execution_1m}, {@code liquidity_bands_1m},
     * {@code arbitrage_1m}): the venues behind it and their summed amounts, like a best-execution
     * row.
     */
    public static long liquidity(
            String[] exchanges, long exchangeSamples, long goodMs, long writeTimeMillis) {
        return version(
                rank(exchanges == null ? 0 : exchanges.length, amount(exchangeSamples, goodMs)),
                writeTimeMillis);
    }

    private static long exchangeCount(String exchange, String[] exchanges, int samples) {
        if (!MidPrice.ALL_EXCHANGES.equals(exchange)) {
            return 1;
        }
        return exchanges == null || exchanges.length == 0 ? samples : exchanges.length;
    }
}
