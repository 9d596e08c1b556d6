package io.depthflow.job.cross;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import io.depthflow.job.OperatorIds;
import io.depthflow.sources.model.Arbitrage;
import io.depthflow.sources.model.LiquidityBand;
import io.depthflow.sources.model.RoutedExecution;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The per-market cross-venue liquidity stage (uid {@value OperatorIds#LIQUIDITY_STAGE}), keyed by
 * market: it gathers each venue's window-end book ({@link WindowBook}, cut to what the largest
 * notional and the widest band need) and, when the window closes, writes the routed split per side
 * and notional (main output), the depth bands per venue and consolidated ({@link #BANDS}) and the
 * cross-venue dislocations ({@link #ARBITRAGE}), computed by {@link LiquidityRows}. It knows no
 * venue: whatever venues' books arrive for a window are the window's venues.
 *
 * <p>When it emits: at an event-time timer at the window's last millisecond. The books are
 * timestamped {@code window_end - 1} by the per-book operators, which emit them before they forward
 * the watermark that closed the window, so when this operator's watermark (the least of its
 * inputs') passes the window every venue's book of it has arrived.
 *
 * <p>State: {@value #STATE_BOOKS}, {@code "<windowStart>|<exchange>"} to the venue's {@link
 * WindowBook}, each window's entries removed when its timer fires. New in this release: restores
 * empty from older savepoints (the windows open at such a restore get their rows from the books
 * that arrive after it).
 */
public class LiquidityStage extends KeyedProcessFunction<String, WindowBook, RoutedExecution> {

    private static final long serialVersionUID = 1L;

    /** State name: permanent, like the operator uid. */
    public static final String STATE_BOOKS = "liquidity-window-books";

    public static final OutputTag<LiquidityBand> BANDS = new OutputTag<>("liquidity-bands") {};

    public static final OutputTag<Arbitrage> ARBITRAGE = new OutputTag<>("liquidity-arbitrage") {};

    static final long WINDOW_MS = 60_000L;

    private final LiquidityOptions options;
    private final int expectedExchanges;

    private transient MapState<String, WindowBook> books;

    /**
     * @param expectedExchanges the venues configured per market, 0 when unknown (replay, Kafka)
     */
    public LiquidityStage(LiquidityOptions options, int expectedExchanges) {
        this.options = options;
        this.expectedExchanges = expectedExchanges;
    }

    /** The stage's three outputs. */
    public record Result(
            DataStream<RoutedExecution> routes,
            DataStream<LiquidityBand> bands,
            DataStream<Arbitrage> arbitrage) {}

    /** Wires the stage on the per-venue window-end books. */
    public static Result apply(
            DataStream<WindowBook> windowBooks, LiquidityOptions options, int expectedExchanges) {
        SingleOutputStreamOperator<RoutedExecution> routes =
                windowBooks
                        .keyBy(new Market())
                        .process(new LiquidityStage(options, expectedExchanges))
                        .uid(OperatorIds.LIQUIDITY_STAGE)
                        .name("Liquidity: routes, bands, dislocations");
        return new Result(routes, routes.getSideOutput(BANDS), routes.getSideOutput(ARBITRAGE));
    }

    public static MapStateDescriptor<String, WindowBook> booksDescriptor() {
        return new MapStateDescriptor<>(
                STATE_BOOKS, Types.STRING, TypeInformation.of(WindowBook.class));
    }

    @Override
    public void open(OpenContext openContext) {
        books = getRuntimeContext().getMapState(booksDescriptor());
    }

    @Override
    public void processElement(WindowBook w, Context ctx, Collector<RoutedExecution> out)
            throws Exception {
        books.put(w.windowStart + "|" + w.book.exchange, w);
        ctx.timerService().registerEventTimeTimer(w.windowStart + WINDOW_MS - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RoutedExecution> out)
            throws Exception {
        String prefix = (timestamp + 1 - WINDOW_MS) + "|";
        List<WindowBook> window = new ArrayList<>();
        for (Iterator<Map.Entry<String, WindowBook>> it = books.iterator(); it.hasNext(); ) {
            Map.Entry<String, WindowBook> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                window.add(e.getValue());
                it.remove();
            }
        }
        if (books.isEmpty()) {
            books.clear(); // an iterator's remove leaves an empty map behind
        }
        LiquidityRows.of(
                window,
                options,
                expectedExchanges,
                out::collect,
                b -> ctx.output(BANDS, b),
                a -> ctx.output(ARBITRAGE, a));
    }

    /** Keys the books by market. */
    static final class Market implements KeySelector<WindowBook, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(WindowBook w) {
            return w.book.market;
        }
    }
}
