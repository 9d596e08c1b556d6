package io.depthflow.job.cross;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import io.depthflow.sources.model.BestExecution;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.MidPrice;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Attaches to each cross-exchange row (an {@code all} mid, a best-execution row) the exchanges
 * behind it and how much data they had: their names (sorted), and their polls, expected polls and
 * usable milliseconds summed. Keyed by market; input 1 is what the SQL stage reads (per-exchange
 * mids or quotes), input 2 is what it wrote.
 *
 * <p>Why a separate step: the SQL stage's window state is in savepoints of earlier releases, under
 * uids that follow its plan; a different query would not restore it. This operator has its own uid
 * and its own state, which restores empty from a savepoint without it: rows of the minute open at
 * such a restore carry no names (the version rule then counts the SQL's exchanges).
 *
 * <p>When it emits: per window, at an event-time timer at the window's last millisecond. The
 * operator's watermark is the lesser of its inputs': when it passes the window, every per-exchange
 * row of the window has arrived on input 1 (they are timestamped {@code window_end - 1} and not
 * late), and the SQL stage, which emits a window before it forwards the watermark that closed it,
 * has delivered the window's rows on input 2.
 *
 * <p>State, all of it removed when the window's timer fires: {@value #STATE_SEEN} ({@code
 * "<windowStart>|<exchange>"} to {samples, expected samples, good ms}) and {@value #STATE_PENDING}
 * (the window's cross rows until then).
 */
public final class ExchangesBehind<IN, T> extends KeyedCoProcessFunction<String, IN, T, T>
        implements ResultTypeQueryable<T> {

    private static final long serialVersionUID = 2L;

    /** State names: permanent, like the operator uid. */
    public static final String STATE_SEEN = "exchanges-seen";

    public static final String STATE_PENDING = "cross-rows-pending";

    static final long WINDOW_MS = 60_000L;

    /** One value read from a row; serializable, so that a method reference or lambda ships. */
    @FunctionalInterface
    interface Field<R, V> extends Serializable {
        V of(R row);
    }

    /** Writes the exchanges behind a window onto one of its cross rows. */
    @FunctionalInterface
    interface Attach<T> extends Serializable {
        void to(T row, Behind behind);
    }

    /**
     * The exchanges behind one window of one market: their names (sorted; null when none was seen,
     * so that a row keeps what it has), their samples, expected samples and usable milliseconds
     * summed (the counts capped at {@link Integer#MAX_VALUE}), and the exchanges configured.
     */
    record Behind(
            String[] exchanges,
            int exchangeSamples,
            int expectedSamples,
            long goodMs,
            int expectedExchanges) {}

    private final Class<T> rowClass;

    /** The exchanges configured per market, 0 when unknown. */
    private final int expectedExchanges;

    private final Field<IN, Long> inputWindowStart;
    private final Field<IN, String> inputExchange;

    /** {samples, expected samples, good ms} of an input row. */
    private final Field<IN, long[]> inputAmounts;

    private final Field<T, Long> rowWindowStart;

    /** Unique among the window's rows of one market. */
    private final Field<T, String> rowKey;

    private final Attach<T> attach;

    private transient MapState<String, long[]> seen;
    private transient MapState<String, T> pending;

    private ExchangesBehind(
            Class<T> rowClass,
            int expectedExchanges,
            Field<IN, Long> inputWindowStart,
            Field<IN, String> inputExchange,
            Field<IN, long[]> inputAmounts,
            Field<T, Long> rowWindowStart,
            Field<T, String> rowKey,
            Attach<T> attach) {
        this.rowClass = rowClass;
        this.expectedExchanges = expectedExchanges;
        this.inputWindowStart = inputWindowStart;
        this.inputExchange = inputExchange;
        this.inputAmounts = inputAmounts;
        this.rowWindowStart = rowWindowStart;
        this.rowKey = rowKey;
        this.attach = attach;
    }

    /**
     * For the {@code all} mids: input 1 the per-exchange mids the SQL stage averaged.
     *
     * @param expectedExchanges the exchanges configured per market, 0 when unknown
     */
    public static ExchangesBehind<MidPrice, MidPrice> allMids(int expectedExchanges) {
        return new ExchangesBehind<>(
                MidPrice.class,
                expectedExchanges,
                in -> in.windowStart,
                in -> in.exchange,
                in -> new long[] {in.samples, in.expectedSamples, in.goodMs},
                row -> row.windowStart,
                row -> row.exchange,
                (row, b) -> {
                    row.exchanges = b.exchanges() == null ? row.exchanges : b.exchanges();
                    row.exchangeSamples = b.exchangeSamples();
                    row.expectedSamples = b.expectedSamples();
                    row.goodMs = b.goodMs();
                    row.expectedExchanges = b.expectedExchanges();
                });
    }

    /**
     * For the best-execution rows: input 1 the per-exchange quotes the SQL stage chose from.
     *
     * @param expectedExchanges the exchanges configured per market, 0 when unknown
     */
    public static ExchangesBehind<ExecutionQuote, BestExecution> bestExecutions(
            int expectedExchanges) {
        return new ExchangesBehind<>(
                BestExecution.class,
                expectedExchanges,
                in -> in.windowStart,
                in -> in.exchange,
                in -> new long[] {in.samples, in.expectedSamples, in.goodMs},
                row -> row.windowStart,
                row -> row.side + "|" + row.notional,
                (row, b) -> {
                    row.exchanges = b.exchanges() == null ? row.exchanges : b.exchanges();
                    row.exchangeSamples = b.exchangeSamples();
                    row.expectedSamples = b.expectedSamples();
                    row.goodMs = b.goodMs();
                    row.expectedExchanges = b.expectedExchanges();
                });
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(rowClass);
    }

    @Override
    public void open(OpenContext openContext) {
        @SuppressWarnings("unchecked")
        TypeInformation<long[]> amounts =
                (TypeInformation<long[]>) Types.PRIMITIVE_ARRAY(Types.LONG);
        seen =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>(STATE_SEEN, Types.STRING, amounts));
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        STATE_PENDING, Types.STRING, TypeInformation.of(rowClass)));
    }

    @Override
    public void processElement1(IN in, Context ctx, Collector<T> out) throws Exception {
        long start = inputWindowStart.of(in);
        String key = start + "|" + inputExchange.of(in);
        long[] a = inputAmounts.of(in);
        long[] had = seen.get(key);
        if (had == null) {
            seen.put(key, a);
        } else { // quotes: one per side and notional, all of the same window
            for (int i = 0; i < a.length; i++) {
                had[i] = Math.max(had[i], a[i]);
            }
            seen.put(key, had);
        }
        ctx.timerService().registerEventTimeTimer(start + WINDOW_MS - 1);
    }

    @Override
    public void processElement2(T row, Context ctx, Collector<T> out) throws Exception {
        long start = rowWindowStart.of(row);
        pending.put(start + "|" + rowKey.of(row), row);
        ctx.timerService().registerEventTimeTimer(start + WINDOW_MS - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) throws Exception {
        String prefix = (timestamp + 1 - WINDOW_MS) + "|";
        TreeSet<String> names = new TreeSet<>();
        long samples = 0;
        long expected = 0;
        long goodMs = 0;
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, long[]> e : seen.entries()) {
            if (e.getKey().startsWith(prefix)) {
                names.add(e.getKey().substring(prefix.length()));
                samples += e.getValue()[0];
                expected += e.getValue()[1];
                goodMs += e.getValue()[2];
                done.add(e.getKey());
            }
        }
        for (String k : done) {
            seen.remove(k);
        }
        Behind behind =
                new Behind(
                        names.isEmpty() ? null : names.toArray(new String[0]),
                        (int) Math.min(Integer.MAX_VALUE, samples),
                        (int) Math.min(Integer.MAX_VALUE, expected),
                        goodMs,
                        expectedExchanges);
        for (Iterator<Map.Entry<String, T>> it = pending.iterator(); it.hasNext(); ) {
            Map.Entry<String, T> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                T row = e.getValue();
                attach.to(row, behind);
                out.collect(row);
                it.remove();
            }
        }
        if (pending.isEmpty()) {
            pending.clear(); // an iterator's remove leaves an empty map behind
        }
    }

    /** Keys both inputs by market. */
    static final class MidMarket implements KeySelector<MidPrice, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(MidPrice m) {
            return m.market;
        }
    }

    static final class QuoteMarket implements KeySelector<ExecutionQuote, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(ExecutionQuote q) {
            return q.market;
        }
    }

    static final class BestMarket implements KeySelector<BestExecution, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(BestExecution b) {
            return b.market;
        }
    }
}
