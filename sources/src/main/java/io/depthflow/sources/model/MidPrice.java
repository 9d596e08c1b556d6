package io.depthflow.sources.model;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * The mid price of one market over one 60 s window, for one exchange or across exchanges (exchange
 * {@code all}). Lands in {@code mid_price_1m}, read through the BI view {@code bi_mid_price_1m}.
 *
 * <p>Per exchange (poll mode): the arithmetic mean of (best bid + best ask) / 2 over the snapshots
 * received in the window; best bid, best ask and spread are those of the window's last book. Across
 * exchanges: the mean of the exchanges' mids; best bid is the highest and best ask the lowest of
 * the exchanges' closing books (a negative spread means the venues are crossed).
 *
 * <p>Stream mode: the time-weighted mean of (best bid + best ask) / 2 over the time the book was
 * usable in the window ({@link #goodMs}); {@link #bookStatus} flags a window whose book was not
 * usable all along ({@code ok} otherwise); a window with no usable time has {@code samples} 0 and
 * no mid (0), and the BI view leaves it out.
 */
public class MidPrice {
    public static final String ALL_EXCHANGES = "all";

    /** Window start, UTC epoch ms, aligned to the minute. */
    public long windowStart;

    public String market;

    /** {@code coinbase}, {@code kraken} or {@code all}. */
    public String exchange;

    /** Scale 18. */
    public BigDecimal mid;

    /** Snapshots averaged (per exchange) or exchanges averaged ({@code all}). */
    public int samples;

    /** At the window's close. */
    public BigDecimal bestBid;

    /** At the window's close. */
    public BigDecimal bestAsk;

    /** (bestAsk - bestBid) / mid of the closing book(s), in basis points. */
    public double spreadBps;

    /** {@code ok}, or why the book was not usable during part of the window (stream mode). */
    public String bookStatus = "ok";

    /** Milliseconds of the window the mid is weighted over (stream mode; 0 in poll mode). */
    public long goodMs;

    /**
     * Poll mode: the polls the minute should have had at the configured interval (0 when unknown,
     * and in stream mode); {@code all}: the sum over its exchanges.
     */
    public int expectedSamples;

    /**
     * The exchanges behind the row, sorted: {@code all}: those it averaged; per exchange: that
     * exchange. {@code null} before it is known.
     */
    public String[] exchanges;

    /**
     * {@code all}: the polls (poll mode) of the exchanges it averaged, summed; per exchange: equal
     * to {@link #samples}. In stream mode {@code all}'s {@link #goodMs} is the exchanges' usable
     * time, summed.
     */
    public int exchangeSamples;

    /**
     * {@code all}: the exchanges configured for the market, when known (0 otherwise, and per
     * exchange): more than {@link #exchanges} holds means some were missing from the average.
     */
    public int expectedExchanges;

    public MidPrice() {}

    public MidPrice(
            long windowStart,
            String market,
            String exchange,
            BigDecimal mid,
            int samples,
            BigDecimal bestBid,
            BigDecimal bestAsk,
            double spreadBps) {
        this.windowStart = windowStart;
        this.market = market;
        this.exchange = exchange;
        this.mid = mid;
        this.samples = samples;
        this.bestBid = bestBid;
        this.bestAsk = bestAsk;
        this.spreadBps = spreadBps;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MidPrice)) {
            return false;
        }
        MidPrice that = (MidPrice) o;
        return windowStart == that.windowStart
                && Objects.equals(market, that.market)
                && Objects.equals(exchange, that.exchange)
                && Objects.equals(mid, that.mid)
                && samples == that.samples
                && Objects.equals(bestBid, that.bestBid)
                && Objects.equals(bestAsk, that.bestAsk)
                && Double.compare(spreadBps, that.spreadBps) == 0
                && Objects.equals(bookStatus, that.bookStatus)
                && goodMs == that.goodMs
                && expectedSamples == that.expectedSamples
                && Arrays.equals(exchanges, that.exchanges)
                && exchangeSamples == that.exchangeSamples
                && expectedExchanges == that.expectedExchanges;
    }

    @Override
    public int hashCode() {
        int h =
                Objects.hash(
                        windowStart,
                        market,
                        exchange,
                        mid,
                        samples,
                        bestBid,
                        bestAsk,
                        spreadBps,
                        bookStatus,
                        goodMs,
                        expectedSamples,
                        exchangeSamples,
                        expectedExchanges);
        h = 31 * h + Arrays.hashCode(exchanges);
        return h;
    }

    @Override
    public String toString() {
        return "MidPrice{"
                + "windowStart="
                + windowStart
                + ", "
                + "market="
                + market
                + ", "
                + "exchange="
                + exchange
                + ", "
                + "mid="
                + mid
                + ", "
                + "samples="
                + samples
                + ", "
                + "bestBid="
                + bestBid
                + ", "
                + "bestAsk="
                + bestAsk
                + ", "
                + "spreadBps="
                + spreadBps
                + ", "
                + "bookStatus="
                + bookStatus
                + ", "
                + "goodMs="
                + goodMs
                + ", "
                + "expectedSamples="
                + expectedSamples
                + ", "
                + "exchanges="
                + Arrays.toString(exchanges)
                + ", "
                + "exchangeSamples="
                + exchangeSamples
                + ", "
                + "expectedExchanges="
                + expectedExchanges
                + "}";
    }
}
