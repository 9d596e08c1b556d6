package io.depthflow.job.bench;

import io.depthflow.job.book.L2Book;
import io.depthflow.sources.model.Decimals;
import org.knowm.xchange.dto.marketdata.OrderBook;
import org.knowm.xchange.dto.trade.LimitOrder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;

import java.math.BigDecimal;

/**
 * Book update throughput on a realistic stream ({@link UpdateStream}: the simulator's Coinbase
 * BTC-USD level2 session, about 500 levels per side, {@value #ROUNDS} update rounds), the same
 * level changes applied to depthflow's {@link L2Book}, to knowm XChange's {@link OrderBook} and to
 * a naive {@code TreeMap<BigDecimal, BigDecimal>} book. One operation is one level change: each
 * invocation loads the snapshot and applies the whole stream ({@link #CHANGES} changes; the
 * snapshot load is about 2% of the work and is counted for every book alike).
 *
 * <ul>
 *   <li>{@code *Decoded}: the values arrive decoded into each book's own types (scaled longs for
 *       {@code L2Book}; {@code BigDecimal}s and prebuilt {@code LimitOrder}s for the others): the
 *       book structure alone.
 *   <li>{@code *FromText}: the values arrive as the wire's decimal text and each book parses them
 *       the way it must ({@code Decimals.parseScaled}, one validating pass per value, for {@code
 *       L2Book}; the job itself decodes from the JSON parser's buffer, see {@code
 *       StreamMessageBenchmark}; {@code new BigDecimal(String)} and a new {@code LimitOrder} for
 *       the others): what a feed handler pays per change.
 * </ul>
 *
 * <pre>./mvnw -B -q -pl job -am test-compile -Pbench -Dbench=BookUpdateBenchmark</pre>
 */
public class BookUpdateBenchmark extends BenchmarkBase {

    static final int ROUNDS = 20_000;

    /** Level changes in the stream of {@link #ROUNDS} rounds from seed 42 (checked in setup). */
    static final int CHANGES = 55_202;

    private UpdateStream stream;
    private UpdateStream.Levels snap;
    private UpdateStream.Levels ch;
    private LimitOrder[] orders;
    private final L2Book book = new L2Book();
    private final ReferenceBooks.TreeMapBook treeMap = new ReferenceBooks.TreeMapBook();

    @Setup
    public void setup() {
        stream = UpdateStream.coinbase(42, ROUNDS);
        snap = stream.snapshot;
        ch = stream.changes;
        if (ch.count != CHANGES) {
            throw new IllegalStateException(
                    "the stream has " + ch.count + " changes; set CHANGES to it");
        }
        orders = new LimitOrder[ch.count];
        for (int i = 0; i < ch.count; i++) {
            orders[i] = ReferenceBooks.limitOrder(ch.bid[i], ch.priceDecimal[i], ch.sizeDecimal[i]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHANGES)
    public long l2BookDecoded() {
        L2Book b = book;
        b.clear();
        UpdateStream.Levels s = snap;
        for (int i = 0; i < s.count; i++) {
            b.set(s.bid[i], s.price[i], s.priceScale[i], s.size[i], s.sizeScale[i]);
        }
        UpdateStream.Levels c = ch;
        for (int i = 0; i < c.count; i++) {
            b.set(c.bid[i], c.price[i], c.priceScale[i], c.size[i], c.sizeScale[i]);
        }
        return b.bestBid() + b.bestAsk();
    }

    @Benchmark
    @OperationsPerInvocation(CHANGES)
    public Object xchangeDecoded() {
        OrderBook b = ReferenceBooks.xchange(snap);
        for (LimitOrder o : orders) {
            b.update(o);
        }
        return b.getBids().get(0).getLimitPrice().add(b.getAsks().get(0).getLimitPrice());
    }

    @Benchmark
    @OperationsPerInvocation(CHANGES)
    public Object treeMapDecoded() {
        ReferenceBooks.TreeMapBook b = treeMap;
        b.clear();
        UpdateStream.Levels s = snap;
        for (int i = 0; i < s.count; i++) {
            b.set(s.bid[i], s.priceDecimal[i], s.sizeDecimal[i]);
        }
        UpdateStream.Levels c = ch;
        for (int i = 0; i < c.count; i++) {
            b.set(c.bid[i], c.priceDecimal[i], c.sizeDecimal[i]);
        }
        return b.bids.firstKey().add(b.asks.firstKey());
    }

    @Benchmark
    @OperationsPerInvocation(CHANGES)
    public long l2BookFromText() {
        L2Book b = book;
        b.clear();
        UpdateStream.Levels s = snap;
        for (int i = 0; i < s.count; i++) {
            setText(b, s.bid[i], s.priceText[i], s.sizeText[i]);
        }
        UpdateStream.Levels c = ch;
        for (int i = 0; i < c.count; i++) {
            setText(b, c.bid[i], c.priceText[i], c.sizeText[i]);
        }
        return b.bestBid() + b.bestAsk();
    }

    private static void setText(L2Book b, boolean bid, String price, String size) {
        int ps = fractionDigits(price);
        int ss = fractionDigits(size);
        b.set(bid, Decimals.parseScaled(price, ps), ps, Decimals.parseScaled(size, ss), ss);
    }

    /** The value's own scale; {@link Decimals#parseScaled} validates the text in its one pass. */
    private static int fractionDigits(String s) {
        int dot = s.indexOf('.');
        return dot < 0 ? 0 : s.length() - dot - 1;
    }

    @Benchmark
    @OperationsPerInvocation(CHANGES)
    public Object xchangeFromText() {
        OrderBook b = ReferenceBooks.xchange(snap);
        UpdateStream.Levels c = ch;
        for (int i = 0; i < c.count; i++) {
            b.update(
                    ReferenceBooks.limitOrder(
                            c.bid[i],
                            new BigDecimal(c.priceText[i]),
                            new BigDecimal(c.sizeText[i])));
        }
        return b.getBids().get(0).getLimitPrice().add(b.getAsks().get(0).getLimitPrice());
    }

    @Benchmark
    @OperationsPerInvocation(CHANGES)
    public Object treeMapFromText() {
        ReferenceBooks.TreeMapBook b = treeMap;
        b.clear();
        UpdateStream.Levels s = snap;
        for (int i = 0; i < s.count; i++) {
            b.set(s.bid[i], new BigDecimal(s.priceText[i]), new BigDecimal(s.sizeText[i]));
        }
        UpdateStream.Levels c = ch;
        for (int i = 0; i < c.count; i++) {
            b.set(c.bid[i], new BigDecimal(c.priceText[i]), new BigDecimal(c.sizeText[i]));
        }
        return b.bids.firstKey().add(b.asks.firstKey());
    }

    public static void main(String[] args) throws Exception {
        run(BookUpdateBenchmark.class, args);
    }
}
