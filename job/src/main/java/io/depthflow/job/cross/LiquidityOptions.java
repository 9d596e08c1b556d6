package io.depthflow.job.cross;

import io.depthflow.job.liquidity.Liquidity;
import io.depthflow.job.liquidity.TakerFees;
import io.depthflow.sources.model.OrderBookSnapshot;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * What the liquidity analytics of the job need to know (README, "Liquidity analytics"): each
 * venue's taker fee ({@code --taker-fee-bps}), the depth bands ({@code --bands}) and the notionals
 * of the quotes and routes ({@code --notionals}). Immutable and serializable: the per-book
 * operators capture it to price all-in quotes and cut each window-end book to what the cross-venue
 * stage needs ({@link #truncate}); the stage captures it to compute.
 */
public final class LiquidityOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * How far apart (bps) the venues' mids of a market may be for the cut books to give exactly the
     * consolidated bands and dislocations of the whole books ({@link Liquidity#depthNeeded}).
     * Venues of one market are within a few bps of each other; 5 % is far beyond any real
     * dislocation and still keeps books small.
     */
    public static final int MID_MARGIN_BPS = 500;

    private final TakerFees fees;
    private final int[] bandsBps;
    private final long[] notionals;

    public LiquidityOptions(TakerFees fees, int[] bandsBps, long[] notionals) {
        if (fees == null) {
            throw new IllegalArgumentException(
                    "fees are required (TakerFees.defaults() for the public ones)");
        }
        if (bandsBps.length == 0 || Arrays.stream(bandsBps).anyMatch(b -> b <= 0 || b >= 10_000)) {
            throw new IllegalArgumentException(
                    "bands must be at least one, each in 1..9999 bps: "
                            + Arrays.toString(bandsBps));
        }
        if (notionals.length == 0 || Arrays.stream(notionals).anyMatch(n -> n <= 0)) {
            throw new IllegalArgumentException(
                    "notionals must be positive and at least one: " + Arrays.toString(notionals));
        }
        this.fees = fees;
        this.bandsBps = bandsBps.clone();
        this.notionals = notionals.clone();
    }

    /** The public base-tier fees and the default bands, for {@code notionals}. */
    public static LiquidityOptions defaults(long[] notionals) {
        return new LiquidityOptions(TakerFees.defaults(), Liquidity.DEFAULT_BANDS_BPS, notionals);
    }

    public TakerFees fees() {
        return fees;
    }

    public BigDecimal feeBps(String exchange) {
        return fees.feeBps(exchange);
    }

    public int[] bandsBps() {
        return bandsBps.clone();
    }

    public long[] notionals() {
        return notionals.clone();
    }

    /**
     * {@code book} cut to what the stage needs of it: the levels the largest notional walks at the
     * venue's fee and those within the widest band (plus {@link #MID_MARGIN_BPS}) of its mid.
     */
    public OrderBookSnapshot truncate(OrderBookSnapshot book) {
        long max = Arrays.stream(notionals).max().orElseThrow();
        int widest = Arrays.stream(bandsBps).max().orElseThrow();
        return Liquidity.truncate(
                book,
                Liquidity.depthNeeded(
                        book,
                        feeBps(book.exchange),
                        BigDecimal.valueOf(max),
                        widest,
                        MID_MARGIN_BPS));
    }
}
