package io.depthflow.job.bench;

import io.depthflow.job.book.L2Book;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.job.quote.Walk;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowm.xchange.dto.marketdata.OrderBook;
import org.knowm.xchange.dto.trade.LimitOrder;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmarks compare like with like: the three books, fed the benchmark's stream, end in the
 * same book, and the walks written for each agree; the stream has the mix of changes a real feed
 * has.
 */
class BookImplementationsTest {

    private static UpdateStream stream;

    @BeforeAll
    static void generate() {
        stream = UpdateStream.coinbase(42, BookUpdateBenchmark.ROUNDS);
    }

    @Test
    void shouldGenerateTheBenchmarkStreamWithInsertsChangesAndRemovalsMostlyNearTheTop() {
        assertThat(stream.changes.count).isEqualTo(BookUpdateBenchmark.CHANGES);
        assertThat(stream.snapshot.count).isBetween(900, 1100);
        ReferenceBooks.TreeMapBook book = new ReferenceBooks.TreeMapBook();
        UpdateStream.Levels s = stream.snapshot;
        for (int i = 0; i < s.count; i++) {
            book.set(s.bid[i], s.priceDecimal[i], s.sizeDecimal[i]);
        }
        int inserts = 0;
        int removals = 0;
        int sizeChanges = 0;
        int nearTop = 0;
        UpdateStream.Levels c = stream.changes;
        for (int i = 0; i < c.count; i++) {
            TreeMap<BigDecimal, BigDecimal> side = c.bid[i] ? book.bids : book.asks;
            boolean present = side.containsKey(c.priceDecimal[i]);
            if (c.sizeDecimal[i].signum() == 0) {
                removals += present ? 1 : 0;
            } else if (present) {
                sizeChanges++;
            } else {
                inserts++;
            }
            if (side.headMap(c.priceDecimal[i]).size() < 10) {
                nearTop++;
            }
            book.set(c.bid[i], c.priceDecimal[i], c.sizeDecimal[i]);
        }
        assertThat(sizeChanges).isGreaterThan(c.count / 4);
        assertThat(inserts).isGreaterThan(c.count / 10);
        assertThat(removals).isGreaterThan(c.count / 10);
        assertThat(nearTop).isGreaterThan(c.count / 2);
    }

    @Test
    void shouldEndInTheSameBookWhicheverImplementationAppliesTheStream() {
        L2Book l2 = BookImplementations.l2Book(stream);
        Map<String, List<String>> expected = levels(l2);
        assertThat(expected.get("bids")).hasSizeGreaterThan(400);
        assertThat(levels(BookImplementations.xchange(stream))).isEqualTo(expected);
        assertThat(levels(BookImplementations.treeMap(stream))).isEqualTo(expected);
    }

    @Test
    void shouldWalkToTheSameAveragePriceOnEveryBook() {
        L2Book l2 = BookImplementations.l2Book(stream);
        OrderBook xchange = BookImplementations.xchange(stream);
        for (long notional : new long[] {50_000, 100_000}) {
            Walk buy = BookWalker.walk(l2, Side.BUY, notional);
            Walk sell = BookWalker.walk(l2, Side.SELL, notional);
            assertThat(buy.complete()).isTrue();
            assertThat(buy.avgPrice()).isGreaterThan(sell.avgPrice());
            assertThat(
                            BookWalkBenchmark.averagePrice(
                                    xchange.getAsks(), BigDecimal.valueOf(notional)))
                    .isEqualByComparingTo(buy.avgPrice());
            assertThat(
                            BookWalkBenchmark.averagePrice(
                                    xchange.getBids(), BigDecimal.valueOf(notional)))
                    .isEqualByComparingTo(sell.avgPrice());
        }
    }

    private static Map<String, List<String>> levels(L2Book b) {
        List<String> bids = new ArrayList<>();
        List<String> asks = new ArrayList<>();
        for (int i = 0; i < b.bidCount(); i++) {
            bids.add(
                    level(
                            BigDecimal.valueOf(b.bidPrice(i), b.priceScale()),
                            BigDecimal.valueOf(b.bidSize(i), b.sizeScale())));
        }
        for (int i = 0; i < b.askCount(); i++) {
            asks.add(
                    level(
                            BigDecimal.valueOf(b.askPrice(i), b.priceScale()),
                            BigDecimal.valueOf(b.askSize(i), b.sizeScale())));
        }
        return Map.of("bids", bids, "asks", asks);
    }

    private static Map<String, List<String>> levels(OrderBook b) {
        return Map.of("bids", levels(b.getBids()), "asks", levels(b.getAsks()));
    }

    private static List<String> levels(List<LimitOrder> orders) {
        return orders.stream().map(o -> level(o.getLimitPrice(), o.getOriginalAmount())).toList();
    }

    private static Map<String, List<String>> levels(ReferenceBooks.TreeMapBook b) {
        return Map.of(
                "bids",
                        b.bids.entrySet().stream()
                                .map(e -> level(e.getKey(), e.getValue()))
                                .toList(),
                "asks",
                        b.asks.entrySet().stream()
                                .map(e -> level(e.getKey(), e.getValue()))
                                .toList());
    }

    private static String level(BigDecimal price, BigDecimal size) {
        return price.stripTrailingZeros().toPlainString()
                + "@"
                + size.stripTrailingZeros().toPlainString();
    }
}
