package io.depthflow.job.cross;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import io.depthflow.sources.model.BestExecution;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.MidPrice;

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
public abstract class ExchangesBehind<IN, T> extends KeyedCoProcessFunction<String, IN, T, T> {

    private static final long serialVersionUID = 1L;

    /** State names: permanent, like the operator uid. */
    public static final String STATE_SEEN = "exchanges-seen";

    public static final String STATE_PENDING = "cross-rows-pending";

    static final long WINDOW_MS = 60_000L;

    private final Class<T> rowClass;

    /** The exchanges configured per market, 0 when unknown. */
    final int expectedExchanges;

    private transient MapState<String, long[]> seen;
    private transient MapState<String, T> pending;

    ExchangesBehind(Class<T> rowClass, int expectedExchanges) {
        this.rowClass = rowClass;
        this.expectedExchanges = expectedExchanges;
    }

    abstract long windowStartOf(IN in);

    abstract String exchangeOf(IN in);

    abstract long[] amountsOf(IN in);

    abstract long windowStartOfRow(T row);

    /** Unique among the window's rows of one market. */
    abstract String rowKey(T row);

    abstract void attach(T row, String[] exchanges, long samples, long expected, long goodMs);

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
        long start = windowStartOf(in);
        String key = start + "|" + exchangeOf(in);
        long[] a = amountsOf(in);
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
        long start = windowStartOfRow(row);
        pending.put(start + "|" + rowKey(row), row);
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
        String[] exchanges = names.toArray(new String[0]);
        for (Iterator<Map.Entry<String, T>> it = pending.iterator(); it.hasNext(); ) {
            Map.Entry<String, T> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                T row = e.getValue();
                attach(row, exchanges, samples, expected, goodMs);
                out.collect(row);
                it.remove();
            }
        }
        if (pending.isEmpty()) {
            pending.clear(); // an iterator's remove leaves an empty map behind
        }
    }

    /** For the {@code all} mids: input 1 the per-exchange mids the SQL stage averaged. */
    public static final class AllMids extends ExchangesBehind<MidPrice, MidPrice> {
        private static final long serialVersionUID = 1L;

        public AllMids() {
            this(0);
        }

        /**
         * @param expectedExchanges the exchanges configured per market, 0 when unknown
         */
        public AllMids(int expectedExchanges) {
            super(MidPrice.class, expectedExchanges);
        }

        @Override
        long windowStartOf(MidPrice in) {
            return in.windowStart;
        }

        @Override
        String exchangeOf(MidPrice in) {
            return in.exchange;
        }

        @Override
        long[] amountsOf(MidPrice in) {
            return new long[] {in.samples, in.expectedSamples, in.goodMs};
        }

        @Override
        long windowStartOfRow(MidPrice row) {
            return row.windowStart;
        }

        @Override
        String rowKey(MidPrice row) {
            return row.exchange;
        }

        @Override
        void attach(MidPrice row, String[] exchanges, long samples, long expected, long goodMs) {
            if (exchanges.length > 0) {
                row.exchanges = exchanges;
            }
            row.exchangeSamples = (int) Math.min(Integer.MAX_VALUE, samples);
            row.expectedSamples = (int) Math.min(Integer.MAX_VALUE, expected);
            row.goodMs = goodMs;
            row.expectedExchanges = expectedExchanges;
        }
    }

    /** For the best-execution rows: input 1 the per-exchange quotes the SQL stage chose from. */
    public static final class BestExecutions
            extends ExchangesBehind<ExecutionQuote, BestExecution> {
        private static final long serialVersionUID = 1L;

        public BestExecutions() {
            this(0);
        }

        /**
         * @param expectedExchanges the exchanges configured per market, 0 when unknown
         */
        public BestExecutions(int expectedExchanges) {
            super(BestExecution.class, expectedExchanges);
        }

        @Override
        long windowStartOf(ExecutionQuote in) {
            return in.windowStart;
        }

        @Override
        String exchangeOf(ExecutionQuote in) {
            return in.exchange;
        }

        @Override
        long[] amountsOf(ExecutionQuote in) {
            return new long[] {in.samples, in.expectedSamples, in.goodMs};
        }

        @Override
        long windowStartOfRow(BestExecution row) {
            return row.windowStart;
        }

        @Override
        String rowKey(BestExecution row) {
            return row.side + "|" + row.notional;
        }

        @Override
        void attach(
                BestExecution row, String[] exchanges, long samples, long expected, long goodMs) {
            if (exchanges.length > 0) {
                row.exchanges = exchanges;
            }
            row.exchangeSamples = (int) Math.min(Integer.MAX_VALUE, samples);
            row.expectedSamples = (int) Math.min(Integer.MAX_VALUE, expected);
            row.goodMs = goodMs;
            row.expectedExchanges = expectedExchanges;
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
