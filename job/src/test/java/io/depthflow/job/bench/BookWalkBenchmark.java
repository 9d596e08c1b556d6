package io.depthflow.job.bench;

import io.depthflow.job.book.L2Book;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.sources.model.OrderBookSnapshot;
import org.knowm.xchange.dto.marketdata.OrderBook;
import org.knowm.xchange.dto.trade.LimitOrder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * The $50k and $100k market buy and sell walks (one operation = one walk; each invocation does all
 * four) on the book at the end of {@link BookUpdateBenchmark}'s stream: depthflow's one {@link
 * BookWalker} on the live {@link L2Book} (stream mode) and on an {@link OrderBookSnapshot}'s levels
 * (poll mode, the {@code BigDecimal} target of {@code quote}), and the same walk written over
 * XChange's {@link OrderBook} lists as a user of it would (BigDecimal, 34 digits).
 *
 * <pre>./mvnw -B -q -pl job -am test-compile -Pbench -Dbench=BookWalkBenchmark</pre>
 */
public class BookWalkBenchmark extends BenchmarkBase {

    private static final long[] NOTIONALS = {50_000, 100_000};
    private static final BigDecimal[] NOTIONAL_DECIMALS = {
        BigDecimal.valueOf(50_000), BigDecimal.valueOf(100_000)
    };

    private L2Book book;
    private OrderBookSnapshot snapshot;
    private OrderBook xchange;

    @Setup
    public void setup() {
        UpdateStream stream = UpdateStream.coinbase(42, BookUpdateBenchmark.ROUNDS);
        book = BookImplementations.l2Book(stream);
        snapshot = book.toSnapshot("coinbase", "BTC/USD", 0, 0, 0);
        xchange = BookImplementations.xchange(stream);
    }

    @Benchmark
    @OperationsPerInvocation(4)
    public void l2BookWalk(Blackhole bh) {
        for (long n : NOTIONALS) {
            bh.consume(BookWalker.walk(book, Side.BUY, n));
            bh.consume(BookWalker.walk(book, Side.SELL, n));
        }
    }

    @Benchmark
    @OperationsPerInvocation(4)
    public void snapshotWalk(Blackhole bh) {
        for (BigDecimal n : NOTIONAL_DECIMALS) {
            bh.consume(BookWalker.walk(snapshot, Side.BUY, n));
            bh.consume(BookWalker.walk(snapshot, Side.SELL, n));
        }
    }

    @Benchmark
    @OperationsPerInvocation(4)
    public void xchangeWalk(Blackhole bh) {
        for (BigDecimal n : NOTIONAL_DECIMALS) {
            bh.consume(averagePrice(xchange.getAsks(), n));
            bh.consume(averagePrice(xchange.getBids(), n));
        }
    }

    /**
     * Average fill price of a market order for {@code notional} against {@code levels}, best first.
     */
    static BigDecimal averagePrice(List<LimitOrder> levels, BigDecimal notional) {
        BigDecimal cum = BigDecimal.ZERO;
        BigDecimal base = BigDecimal.ZERO;
        for (LimitOrder level : levels) {
            BigDecimal price = level.getLimitPrice();
            BigDecimal qty = level.getOriginalAmount();
            BigDecimal next = cum.add(price.multiply(qty));
            if (next.compareTo(notional) >= 0) {
                base = base.add(notional.subtract(cum).divide(price, MathContext.DECIMAL128));
                return notional.divide(base, MathContext.DECIMAL128);
            }
            cum = next;
            base = base.add(qty);
        }
        return cum.divide(base, MathContext.DECIMAL128);
    }

    public static void main(String[] args) throws Exception {
        run(BookWalkBenchmark.class, args);
    }
}
