package io.depthflow.job.bench;

import io.depthflow.job.liquidity.DepthNeeded;
import io.depthflow.job.liquidity.Liquidity;
import io.depthflow.job.liquidity.TakerFees;
import io.depthflow.job.quote.Side;
import io.depthflow.sources.model.OrderBookSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The per-minute cross-venue liquidity computation of one market (issue 11), as the job's
 * cross-venue stage runs it once a minute: 5 venues' window-end books, each cut to what the largest
 * notional and the widest band need ({@link Liquidity#depthNeeded} for $1M, 200 bps, a 100 bp
 * margin), then 6 notionals × 2 sides of routes (each with its 5 single-venue all-in walks for the
 * best single venue), the 60 per-venue all-in quotes of {@code execution_quotes_1m}, the depth
 * bands (10, 25, 50, 100, 200 bps) of each venue and consolidated, and the dislocations of the 20
 * ordered venue pairs. One operation = one market's minute. {@code truncate} is the per-venue step
 * before it (5 venues' {@code depthNeeded} + {@code truncate} on whole books); {@code
 * bandsOfOneBook} the five bands of one book.
 *
 * <p>Books: the simulator's Coinbase BTC-USD session (500 levels a side) under five seeds, one per
 * venue name, each shifted so that its mid lies within ±8 bps of the first's (venues that close
 * sometimes cross before fees, as real ones do); fees are the public defaults.
 *
 * <pre>./mvnw -B -q -pl job -am test-compile -Pbench -Dbench=CrossVenueMinuteBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CrossVenueMinuteBenchmark extends BenchmarkBase {

    static final String[] VENUES = {"bitfinex", "bitstamp", "coinbase", "gemini", "kraken"};
    static final BigDecimal LARGEST = BigDecimal.valueOf(1_000_000);
    static final int WIDEST_BAND = 200;
    static final int MARGIN_BPS = 100;

    private final TakerFees fees = TakerFees.defaults();
    private final BigDecimal[] notionals =
            Liquidity.DEFAULT_NOTIONALS_USD.stream()
                    .map(BigDecimal::valueOf)
                    .toArray(BigDecimal[]::new);
    private List<OrderBookSnapshot> whole;
    private List<OrderBookSnapshot> cut;

    @Setup
    public void setup() {
        whole = books();
        cut = truncate(whole, fees);
        StringBuilder sb = new StringBuilder("levels per venue (bids/asks), whole -> sent:");
        for (int v = 0; v < whole.size(); v++) {
            sb.append(
                    String.format(
                            " %s %d/%d -> %d/%d",
                            VENUES[v],
                            whole.get(v).bidCount(),
                            whole.get(v).askCount(),
                            cut.get(v).bidCount(),
                            cut.get(v).askCount()));
        }
        sb.append("; dislocations: ")
                .append(Liquidity.dislocations(cut, fees).size())
                .append(" at the defaults, ")
                .append(Liquidity.dislocations(cut, TakerFees.none()).size())
                .append(" at 0 bps");
        System.err.println(sb);
    }

    /** Five venues' books around one price (seeded, reproducible). */
    static List<OrderBookSnapshot> books() {
        Random rnd = new Random(11);
        List<OrderBookSnapshot> out = new ArrayList<>();
        long reference = 0;
        for (int v = 0; v < VENUES.length; v++) {
            OrderBookSnapshot b =
                    BookImplementations.l2Book(UpdateStream.coinbase(100 + v, 2_000))
                            .toSnapshot(VENUES[v], "BTC/USD", 0, 0, 0);
            long mid2 = b.bidPrices[0] + b.askPrices[0];
            if (v == 0) {
                reference = mid2;
            }
            // Shift every level by one amount: the mid lands within ±8 bps of the first venue's.
            long target = reference + reference * (rnd.nextInt(17) - 8) / 10_000;
            long shift = (target - mid2) / 2;
            for (int i = 0; i < b.bidPrices.length; i++) {
                b.bidPrices[i] += shift;
            }
            for (int i = 0; i < b.askPrices.length; i++) {
                b.askPrices[i] += shift;
            }
            out.add(b);
        }
        return out;
    }

    static List<OrderBookSnapshot> truncate(List<OrderBookSnapshot> books, TakerFees fees) {
        List<OrderBookSnapshot> out = new ArrayList<>(books.size());
        for (OrderBookSnapshot b : books) {
            DepthNeeded n =
                    Liquidity.depthNeeded(
                            b, fees.feeBps(b.exchange), LARGEST, WIDEST_BAND, MARGIN_BPS);
            out.add(Liquidity.truncate(b, n));
        }
        return out;
    }

    @Benchmark
    public void crossVenueMinute(Blackhole bh) {
        for (Side side : Side.values()) {
            for (BigDecimal n : notionals) {
                bh.consume(Liquidity.route(cut, fees, side, n));
                for (OrderBookSnapshot b : cut) {
                    bh.consume(Liquidity.allIn(b, side, n, fees.feeBps(b.exchange)));
                }
            }
        }
        for (OrderBookSnapshot b : cut) {
            bh.consume(Liquidity.depthBands(b, Liquidity.DEFAULT_BANDS_BPS));
        }
        bh.consume(Liquidity.consolidatedDepthBands(cut, Liquidity.DEFAULT_BANDS_BPS));
        bh.consume(Liquidity.dislocations(cut, fees));
    }

    /**
     * The five default bands of one venue's book: what stream mode pays per book change if it
     * time-weights the bands over the window.
     */
    @Benchmark
    public Object bandsOfOneBook() {
        return Liquidity.depthBands(cut.get(2), Liquidity.DEFAULT_BANDS_BPS);
    }

    @Benchmark
    public List<OrderBookSnapshot> truncate() {
        return truncate(whole, fees);
    }

    public static void main(String[] args) throws Exception {
        run(CrossVenueMinuteBenchmark.class, args);
    }
}
