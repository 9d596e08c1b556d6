package io.depthflow.job.cross;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import io.depthflow.job.OperatorIds;
import io.depthflow.job.liquidity.Liquidity;
import io.depthflow.job.quote.Side;
import io.depthflow.sources.model.Arbitrage;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stream mode: how long within each window every reported dislocation existed (uid {@value
 * OperatorIds#DISLOCATION_SECONDS}), keyed by market. Input 1 is the liquidity stage's dislocation
 * rows (computed on the window-end books), input 2 every change of each venue's top of book ({@link
 * TopOfBook}). A pair (buy on A, sell on B) is dislocated while both books are usable and B's best
 * bid at its sell-effective price exceeds A's best ask at its buy-effective price: exactly when the
 * dislocation walk's first match makes a profit. When the watermark closes a window, the window is
 * swept from its start (with the tops carried over from the window before) to its end, and each row
 * of the window gets {@code openMs}, the milliseconds its pair was dislocated.
 *
 * <p>State, all new in this release (restores empty: after a restore the tops are unknown until
 * each venue's next change, and count as not usable): {@value #STATE_TOPS} (the tops received for
 * windows not yet closed, by {@code "<time>|<exchange>"}, the last one of a millisecond kept),
 * {@value #STATE_CURRENT} (each venue's top at the end of the last closed window) and {@value
 * #STATE_ROWS} (the rows waiting for their window to close). A pair dislocated within a window but
 * not at its end has no row, so its time is not reported.
 */
public class DislocationSeconds
        extends KeyedCoProcessFunction<String, Arbitrage, TopOfBook, Arbitrage> {

    private static final long serialVersionUID = 1L;

    /** State names: permanent, like the operator uid. */
    public static final String STATE_TOPS = "dislocation-tops";

    public static final String STATE_CURRENT = "dislocation-current-tops";

    public static final String STATE_ROWS = "dislocation-rows";

    static final long WINDOW_MS = 60_000L;

    private final LiquidityOptions options;

    private transient MapState<String, TopOfBook> tops;
    private transient MapState<String, TopOfBook> current;
    private transient MapState<String, Arbitrage> rows;

    public DislocationSeconds(LiquidityOptions options) {
        this.options = options;
    }

    /** Fills {@code openMs} of the stream-mode dislocation rows from the books' tops. */
    public static DataStream<Arbitrage> apply(
            DataStream<Arbitrage> arbitrage, DataStream<TopOfBook> tops, LiquidityOptions options) {
        return arbitrage
                .connect(tops)
                .keyBy(new RowMarket(), new TopMarket())
                .process(new DislocationSeconds(options))
                .uid(OperatorIds.DISLOCATION_SECONDS)
                .name("Dislocation seconds");
    }

    @Override
    public void open(OpenContext openContext) {
        TypeInformation<TopOfBook> top = TypeInformation.of(TopOfBook.class);
        tops =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>(STATE_TOPS, Types.STRING, top));
        current =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>(STATE_CURRENT, Types.STRING, top));
        rows =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        STATE_ROWS,
                                        Types.STRING,
                                        TypeInformation.of(Arbitrage.class)));
    }

    @Override
    public void processElement1(Arbitrage row, Context ctx, Collector<Arbitrage> out)
            throws Exception {
        rows.put(row.windowStart + "|" + row.buyExchange + "|" + row.sellExchange, row);
        ctx.timerService().registerEventTimeTimer(row.windowStart + WINDOW_MS - 1);
    }

    @Override
    public void processElement2(TopOfBook top, Context ctx, Collector<Arbitrage> out)
            throws Exception {
        tops.put(topKey(top.time, top.exchange), top);
        ctx.timerService()
                .registerEventTimeTimer(
                        Math.floorDiv(top.time, WINDOW_MS) * WINDOW_MS + WINDOW_MS - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Arbitrage> out)
            throws Exception {
        long start = timestamp + 1 - WINDOW_MS;
        long end = start + WINDOW_MS;
        TreeMap<String, TopOfBook> events = new TreeMap<>();
        for (Iterator<Map.Entry<String, TopOfBook>> it = tops.iterator(); it.hasNext(); ) {
            Map.Entry<String, TopOfBook> e = it.next();
            if (e.getValue().time < end) {
                events.put(e.getKey(), e.getValue());
                it.remove();
            }
        }
        Map<String, TopOfBook> now = new TreeMap<>();
        for (Map.Entry<String, TopOfBook> e : current.entries()) {
            now.put(e.getKey(), e.getValue());
        }
        Map<String, Long> open = new HashMap<>();
        long t = start;
        for (TopOfBook e : events.values()) {
            if (e.time > t) {
                integrate(now, e.time - t, open);
                t = e.time;
            }
            now.put(e.exchange, e);
        }
        integrate(now, end - t, open);
        current.clear();
        for (Map.Entry<String, TopOfBook> e : now.entrySet()) {
            current.put(e.getKey(), e.getValue());
        }
        String prefix = start + "|";
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, Arbitrage> e : rows.entries()) {
            if (e.getKey().startsWith(prefix)) {
                Arbitrage a = e.getValue();
                a.openMs = open.getOrDefault(a.buyExchange + "|" + a.sellExchange, 0L);
                out.collect(a);
                done.add(e.getKey());
            }
        }
        for (String k : done) {
            rows.remove(k);
        }
        if (tops.isEmpty()) {
            tops.clear();
        }
    }

    /**
     * The {@value #STATE_TOPS} key of a top: {@code "<time>|<exchange>"} with the time zero-padded
     * to 15 digits, so that the keys sort by time. The format is the state's (a savepoint's keys
     * were written with {@code String.format("%015d|%s")}); built by hand because {@code
     * String.format} ran once per top-of-book change and was a third of this operator's time.
     */
    static String topKey(long time, String exchange) {
        if (time < 0) {
            return String.format(java.util.Locale.ROOT, "%015d|%s", time, exchange);
        }
        String digits = Long.toString(time);
        StringBuilder key =
                new StringBuilder(Math.max(15, digits.length()) + 1 + exchange.length());
        for (int i = digits.length(); i < 15; i++) {
            key.append('0');
        }
        return key.append(digits).append('|').append(exchange).toString();
    }

    /** Adds {@code ms} to every ordered pair dislocated on the tops {@code now}. */
    private void integrate(Map<String, TopOfBook> now, long ms, Map<String, Long> open) {
        for (TopOfBook a : now.values()) {
            if (!a.usable) {
                continue;
            }
            BigDecimal effectiveAsk =
                    a.ask.multiply(Liquidity.feeFactor(Side.BUY, options.feeBps(a.exchange)));
            for (TopOfBook b : now.values()) {
                if (b == a || !b.usable) {
                    continue;
                }
                BigDecimal effectiveBid =
                        b.bid.multiply(Liquidity.feeFactor(Side.SELL, options.feeBps(b.exchange)));
                if (effectiveBid.compareTo(effectiveAsk) > 0) {
                    open.merge(a.exchange + "|" + b.exchange, ms, Long::sum);
                }
            }
        }
    }

    static final class RowMarket implements KeySelector<Arbitrage, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Arbitrage a) {
            return a.market;
        }
    }

    static final class TopMarket implements KeySelector<TopOfBook, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(TopOfBook t) {
            return t.market;
        }
    }
}
