package io.depthflow.job.book;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time-weighted depth bands of {@link StreamBookState}, worked by hand: a window with two book
 * changes and an unusable stretch, at known times.
 */
class StreamBookStateBandsTest {

    private static final long W = 1_700_000_040_000L; // a minute's start
    private static final int[] BANDS = {100, 10}; // not sorted: the output follows this order
    private static final MathContext MC = MathContext.DECIMAL128;

    /**
     * Book A (price scale 1, size scale 0): bids 100.0×1, 99.9×2, 99.0×3; asks 100.2×1, 100.3×2,
     * 101.0×5. Mid 100.1. Band 10: bids ≥ 99.9999 → 100.0 (notional 100.0); asks ≤ 100.2001 → 100.2
     * (100.2). Band 100: bids ≥ 99.099 → 100.0 + 199.8 = 299.8; asks ≤ 101.101 → 100.2 + 200.6 +
     * 505.0 = 805.8.
     */
    private static StreamBookState bookA() {
        L2Book b = new L2Book();
        b.reset(1, 0);
        b.set(true, 1000, 1);
        b.set(true, 999, 2);
        b.set(true, 990, 3);
        b.set(false, 1002, 1);
        b.set(false, 1003, 2);
        b.set(false, 1010, 5);
        StreamBookState s =
                new StreamBookState(
                        "coinbase",
                        "BTC/USD",
                        new BookSync(b, BookSync.Status.SYNCED, BookSync.DEPTH_UNLIMITED),
                        1L,
                        W);
        s.trackBands(BANDS);
        return s;
    }

    @Test
    void shouldAverageEachBandOverTheUsableTimeOfTheWindow() {
        StreamBookState s = bookA();
        // A stands 10 s.
        s.integrateTo(W + 10_000);
        // Change 1: bid 99.9 becomes 0.5 (one more size digit: the book rescales). Book B, mid
        // 100.1:
        // band 10 as A (100.0 / 100.2); band 100: bids 100.0 + 49.95 = 149.95, asks 805.8. 30 s.
        s.book().set(true, 999, 1, 5, 1);
        s.noteChange(true);
        s.integrateTo(W + 40_000);
        // Change 2: ask 100.2 leaves. Book C, mid (100.0 + 100.3) / 2 = 100.15: band 10 has
        // nothing (bid edge 100.04985, ask edge 100.25015); band 100: bids ≥ 99.1485 → 149.95,
        // asks ≤ 101.1515 → 200.6 + 505.0 = 705.6. 10 s.
        s.book().set(false, 1002, 0);
        s.noteChange(true);
        s.integrateTo(W + 50_000);
        // Disconnected for the last 10 s: not usable, counts nowhere.
        s.sync().invalidate(BookSync.Status.DISCONNECTED);
        s.noteChange(false);
        s.integrateTo(W + 60_000);

        assertThat(s.goodMs()).isEqualTo(50_000);
        assertThat(s.bandMs()).isEqualTo(50_000);
        // band 100 bid: (299.8 × 10 000 + 149.95 × 30 000 + 149.95 × 10 000) / 50 000 = 8 996 000 /
        // 50 000
        // band 100 ask: (805.8 × 40 000 + 705.6 × 10 000) / 50 000 = 39 288 000 / 50 000
        // band 10 bid: 100.0 × 40 000 / 50 000; band 10 ask: 100.2 × 40 000 / 50 000
        assertBands(s.timeWeightedBands(true, MC), "179.92", "80");
        assertBands(s.timeWeightedBands(false, MC), "785.76", "80.16");
    }

    @Test
    void shouldStartEachWindowEmptyAndCarryTheBookIn() {
        StreamBookState s = bookA();
        s.integrateTo(W + 60_000);
        assertBands(s.timeWeightedBands(true, MC), "299.8", "100.0");
        s.rollWindow();
        assertThat(s.timeWeightedBands(true, MC)).as("no usable time yet").isNull();
        s.integrateTo(W + 61_000);
        s.book().set(false, 1002, 0); // book C for the next 3 s
        s.noteChange(true);
        s.integrateTo(W + 64_000);
        // ask band 100: (805.8 × 1 000 + 705.6 × 3 000) / 4 000 = 730.65; band 10: 100.2 × 1 000 /
        // 4 000
        assertBands(s.timeWeightedBands(false, MC), "730.65", "25.05");
        assertThat(s.bandMs()).isEqualTo(4_000);
    }

    @Test
    void shouldStartAgainWhenTheBandsChangeAndKeepThemWhenTheyDoNot() {
        StreamBookState s = bookA();
        s.integrateTo(W + 20_000);
        s.trackBands(new int[] {100, 10}); // equal bands, another array: kept
        assertThat(s.bandMs()).isEqualTo(20_000);
        s.trackBands(new int[] {10});
        assertThat(s.bandMs()).isZero();
        assertThat(s.timeWeightedBands(true, MC)).isNull();
        s.book().set(false, 1002, 0);
        s.noteChange(true);
        s.integrateTo(W + 30_000);
        assertThat(s.goodMs()).isEqualTo(30_000);
        assertBands(s.timeWeightedBands(true, MC), "0");
        assertThat(s.bandMs())
                .as("the bands cover the time since they were named")
                .isEqualTo(10_000);
    }

    @Test
    void shouldCopyTheIntegralsIndependently() {
        StreamBookState s = bookA();
        s.integrateTo(W + 20_000);
        StreamBookState c = s.copy();
        assertThat(c).isEqualTo(s);
        s.integrateTo(W + 30_000);
        assertThat(c.bandMs()).isEqualTo(20_000);
        assertThat(c).isNotEqualTo(s);
        assertBands(c.timeWeightedBands(false, MC), "805.8", "100.2");
    }

    @Test
    void shouldHaveNoBandsWhenNoneAreTracked() {
        StreamBookState s = bookA();
        s.trackBands(null);
        s.integrateTo(W + 20_000);
        assertThat(s.goodMs()).isEqualTo(20_000);
        assertThat(s.timeWeightedBands(true, MC)).isNull();
    }

    @Test
    void shouldPlaceTheBandEdgesExactlyEvenBeyond64Bits() {
        // 20010 × 9990 / 20000 = 9994.995: a bid needs at least 9995; 20010 × 10010 / 20000 =
        // 10015.005: an ask at most 10015
        assertThat(StreamBookState.edge(20_010, 9_990, true)).isEqualTo(9_995);
        assertThat(StreamBookState.edge(20_000, 9_990, true))
                .as("exact: no rounding up")
                .isEqualTo(9_990);
        assertThat(StreamBookState.edge(20_010, 10_010, false)).isEqualTo(10_015);
        long m2 = Long.MAX_VALUE / 3;
        BigInteger product = BigInteger.valueOf(m2).multiply(BigInteger.valueOf(19_999));
        BigInteger[] qr = product.divideAndRemainder(BigInteger.valueOf(20_000));
        assertThat(StreamBookState.edge(m2, 19_999, false)).isEqualTo(qr[0].longValueExact());
        assertThat(StreamBookState.edge(m2, 19_999, true))
                .isEqualTo(qr[0].longValueExact() + (qr[1].signum() == 0 ? 0 : 1));
    }

    private static void assertBands(BigDecimal[] actual, String... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int k = 0; k < expected.length; k++) {
            assertThat(actual[k]).as("band #" + k).isEqualByComparingTo(expected[k]);
        }
    }
}
