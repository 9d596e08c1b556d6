package io.depthflow.job.bench;

import io.depthflow.job.book.BookSync;
import io.depthflow.job.book.L2Book;
import io.depthflow.job.book.StreamBookState;
import io.depthflow.job.liquidity.Liquidity;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;

/**
 * What the time-weighted depth bands add to the stream book builder's per-message work: the
 * simulator's Coinbase BTC-USD session ({@link UpdateStream}, about 500 levels per side), each
 * level change taken as one message 1 ms after the previous one (the worst case: every change
 * integrates the book that stood before it, so the bands are computed once per change), through
 * {@link StreamBookState}'s integrate / apply / note-change steps, with the default bands ({@code
 * withBands}) and without any ({@code noBands}). One operation is one change.
 *
 * <pre>./mvnw -B -q -pl job -am test-compile -Pbench -Dbench=StreamBookStateBandsBenchmark</pre>
 */
public class StreamBookStateBandsBenchmark extends BenchmarkBase {

    static final int ROUNDS = 20_000;

    static final int CHANGES = BookUpdateBenchmark.CHANGES;

    private UpdateStream.Levels snap;
    private UpdateStream.Levels ch;

    @Setup
    public void setup() {
        UpdateStream stream = UpdateStream.coinbase(42, ROUNDS);
        snap = stream.snapshot;
        ch = stream.changes;
        if (ch.count != CHANGES) {
            throw new IllegalStateException(
                    "the stream has " + ch.count + " changes; set CHANGES to it");
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHANGES)
    public long noBands() {
        return run(null);
    }

    @Benchmark
    @OperationsPerInvocation(CHANGES)
    public long withBands() {
        return run(Liquidity.DEFAULT_BANDS_BPS);
    }

    private long run(int[] bands) {
        L2Book b = new L2Book();
        UpdateStream.Levels s = snap;
        for (int i = 0; i < s.count; i++) {
            b.set(s.bid[i], s.price[i], s.priceScale[i], s.size[i], s.sizeScale[i]);
        }
        long t = 1_700_000_000_000L;
        StreamBookState state =
                new StreamBookState(
                        "coinbase",
                        "BTC/USD",
                        new BookSync(b, BookSync.Status.SYNCED, BookSync.DEPTH_UNLIMITED),
                        1L,
                        t);
        state.trackBands(bands);
        UpdateStream.Levels c = ch;
        for (int i = 0; i < c.count; i++) {
            t++;
            if (t >= state.windowEnd()) {
                state.integrateTo(state.windowEnd());
                state.rollWindow();
            }
            state.integrateTo(t);
            b.set(c.bid[i], c.price[i], c.priceScale[i], c.size[i], c.sizeScale[i]);
            state.noteChange(true);
        }
        return state.goodMs() + state.bandMs();
    }

    public static void main(String[] args) throws Exception {
        run(StreamBookStateBandsBenchmark.class, args);
    }
}
