package io.depthflow.sources.model;

import io.depthflow.sources.venue.BookLevels;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * A normalized, validated L2 order book at one instant, as parsed from one exchange message.
 *
 * <p>Levels are held as parallel arrays of scaled longs (exact decimals, see {@link Decimals}):
 * price {@code bidPrices[i] / 10^priceScale}, size {@code bidSizes[i] / 10^sizeScale}. Bids are
 * sorted best (highest) first, asks best (lowest) first; prices are distinct and sizes positive.
 * The parsers guarantee these invariants, whatever order the exchange sent.
 *
 * <p>Flink POJO (primitive arrays use Flink's primitive array serializers, no Kryo); the field set
 * is part of the savepoint format.
 */
public class OrderBookSnapshot {

    public String exchange;
    public String market;

    /** Event time: when the message was received (UTC epoch ms). */
    public long receivedAt;

    /** The exchange's own timestamp of the book (UTC epoch ms), 0 when the payload has none. */
    public long exchangeTime;

    /** The exchange's sequence number of the book, 0 when the payload has none. */
    public long sequence;

    public int priceScale;
    public int sizeScale;

    public long[] bidPrices;
    public long[] bidSizes;
    public long[] askPrices;
    public long[] askSizes;

    public OrderBookSnapshot() {}

    public OrderBookSnapshot(
            String exchange,
            String market,
            long receivedAt,
            long exchangeTime,
            long sequence,
            int priceScale,
            int sizeScale,
            long[] bidPrices,
            long[] bidSizes,
            long[] askPrices,
            long[] askSizes) {
        this.exchange = exchange;
        this.market = market;
        this.receivedAt = receivedAt;
        this.exchangeTime = exchangeTime;
        this.sequence = sequence;
        this.priceScale = priceScale;
        this.sizeScale = sizeScale;
        this.bidPrices = bidPrices;
        this.bidSizes = bidSizes;
        this.askPrices = askPrices;
        this.askSizes = askSizes;
    }

    public int bidCount() {
        return bidPrices.length;
    }

    public int askCount() {
        return askPrices.length;
    }

    public BigDecimal bidPrice(int i) {
        return BigDecimal.valueOf(bidPrices[i], priceScale);
    }

    public BigDecimal bidSize(int i) {
        return BigDecimal.valueOf(bidSizes[i], sizeScale);
    }

    public BigDecimal askPrice(int i) {
        return BigDecimal.valueOf(askPrices[i], priceScale);
    }

    public BigDecimal askSize(int i) {
        return BigDecimal.valueOf(askSizes[i], sizeScale);
    }

    public BigDecimal bestBid() {
        return bidPrice(0);
    }

    public BigDecimal bestAsk() {
        return askPrice(0);
    }

    /**
     * The levels as a read-only {@link BookLevels} view over this snapshot's arrays (no copy): the
     * view the job's walk and the venue checksums read, as they read the live book. A new small
     * object per call, not a field (the field set is the savepoint format).
     */
    public BookLevels levels() {
        return new Levels(this);
    }

    /** {@link #levels()}: reads the arrays as they are when called. */
    private static final class Levels implements BookLevels {

        private final OrderBookSnapshot book;

        Levels(OrderBookSnapshot book) {
            this.book = book;
        }

        @Override
        public int priceScale() {
            return book.priceScale;
        }

        @Override
        public int sizeScale() {
            return book.sizeScale;
        }

        @Override
        public int bidCount() {
            return book.bidPrices.length;
        }

        @Override
        public int askCount() {
            return book.askPrices.length;
        }

        @Override
        public long bidPrice(int i) {
            return book.bidPrices[i];
        }

        @Override
        public long bidSize(int i) {
            return book.bidSizes[i];
        }

        @Override
        public long askPrice(int i) {
            return book.askPrices[i];
        }

        @Override
        public long askSize(int i) {
            return book.askSizes[i];
        }

        @Override
        public int count(boolean bid) {
            return (bid ? book.bidPrices : book.askPrices).length;
        }

        @Override
        public long price(boolean bid, int i) {
            return (bid ? book.bidPrices : book.askPrices)[i];
        }

        @Override
        public long size(boolean bid, int i) {
            return (bid ? book.bidSizes : book.askSizes)[i];
        }
    }

    /** (best bid + best ask) / 2, exact (one more fraction digit than the prices at most). */
    public BigDecimal mid() {
        return BigDecimal.valueOf(bidPrices[0] + askPrices[0], priceScale)
                .divide(BigDecimal.valueOf(2));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OrderBookSnapshot)) {
            return false;
        }
        OrderBookSnapshot that = (OrderBookSnapshot) o;
        return receivedAt == that.receivedAt
                && exchangeTime == that.exchangeTime
                && sequence == that.sequence
                && priceScale == that.priceScale
                && sizeScale == that.sizeScale
                && Objects.equals(exchange, that.exchange)
                && Objects.equals(market, that.market)
                && Arrays.equals(bidPrices, that.bidPrices)
                && Arrays.equals(bidSizes, that.bidSizes)
                && Arrays.equals(askPrices, that.askPrices)
                && Arrays.equals(askSizes, that.askSizes);
    }

    @Override
    public int hashCode() {
        int h =
                Objects.hash(
                        exchange,
                        market,
                        receivedAt,
                        exchangeTime,
                        sequence,
                        priceScale,
                        sizeScale);
        h = 31 * h + Arrays.hashCode(bidPrices);
        h = 31 * h + Arrays.hashCode(bidSizes);
        h = 31 * h + Arrays.hashCode(askPrices);
        h = 31 * h + Arrays.hashCode(askSizes);
        return h;
    }

    @Override
    public String toString() {
        return "OrderBookSnapshot{"
                + exchange
                + ' '
                + market
                + " at="
                + receivedAt
                + " bids="
                + bidPrices.length
                + " asks="
                + askPrices.length
                + (bidPrices.length > 0 ? " bestBid=" + bestBid().toPlainString() : "")
                + (askPrices.length > 0 ? " bestAsk=" + bestAsk().toPlainString() : "")
                + '}';
    }
}
