package io.depthflow.job.bench;

import io.depthflow.job.book.L2Book;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.sources.model.OrderBookSnapshot;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * {@link BookWalkBenchmark}'s walks ($50k and $100k, buy and sell, on the same book) timed in
 * thread CPU time instead of wall time, so that a machine loaded by other builds does not blur
 * them: per book type, 10 warm-up and 15 measured batches of 100,000 × 2 walks, median and range of
 * nanoseconds per walk, the whole twice.
 *
 * <pre>./mvnw -B -q -pl job -am test-compile -Pbench -Dbench=BookWalkCpuTime</pre>
 */
public final class BookWalkCpuTime {

    private static final int BATCH = 100_000;
    private static Object sink;

    private BookWalkCpuTime() {}

    public static void main(String[] args) {
        L2Book book =
                BookImplementations.l2Book(UpdateStream.coinbase(42, BookUpdateBenchmark.ROUNDS));
        OrderBookSnapshot snapshot = book.toSnapshot("coinbase", "BTC/USD", 0, 0, 0);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] notionals = {50_000, 100_000};
        BigDecimal[] decimals = {BigDecimal.valueOf(50_000), BigDecimal.valueOf(100_000)};
        for (String what : new String[] {"l2Book", "snapshot", "l2Book", "snapshot"}) {
            double[] perWalk = new double[15];
            for (int r = -10; r < perWalk.length; r++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int k = 0; k < BATCH; k++) {
                    for (Side side : Side.values()) {
                        sink =
                                what.equals("l2Book")
                                        ? BookWalker.walk(book, side, notionals[k & 1])
                                        : BookWalker.walk(snapshot, side, decimals[k & 1]);
                    }
                }
                long t1 = mx.getCurrentThreadCpuTime();
                if (r >= 0) {
                    perWalk[r] = (t1 - t0) / (2.0 * BATCH);
                }
            }
            Arrays.sort(perWalk);
            System.out.printf(
                    "%s: median %.0f ns per walk of CPU (min %.0f, max %.0f), %.2f M walks per CPU second%n",
                    what, perWalk[7], perWalk[0], perWalk[14], 1000.0 / perWalk[7]);
        }
        if (sink == null) {
            throw new AssertionError();
        }
    }
}
