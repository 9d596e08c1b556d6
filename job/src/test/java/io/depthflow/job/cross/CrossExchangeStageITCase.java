package io.depthflow.job.cross;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import io.depthflow.sources.model.BestExecution;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.testing.MiniClusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CrossExchangeStageITCase {

    @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.loopbackTwoSlots();

    private static final long W0 = 1_763_639_100_000L; // 2025-11-20T11:45:00Z, a minute boundary
    private static final long W1 = W0 + 60_000L;

    private static BigDecimal d(String s) {
        return new BigDecimal(s).setScale(18);
    }

    private static MidPrice mid(long w, String exchange, String mid, String bid, String ask) {
        MidPrice m = new MidPrice(w, "BTC/USD", exchange, d(mid), 1, d(bid), d(ask), 0.0);
        m.expectedSamples = 3; // one poll of three: the sums below tell them apart from samples
        return m;
    }

    private static ExecutionQuote quote(
            long w, String exchange, String side, long notional, boolean complete, String avg) {
        ExecutionQuote q =
                new ExecutionQuote(
                        w, exchange, "BTC/USD", side, notional, complete, d(avg), d(avg), d("1"),
                        d("1"), 1, 0.0, w);
        q.samples = "kraken".equals(exchange) ? 2 : 3;
        q.expectedSamples = 3;
        return q;
    }

    @Test
    void shouldAverageMidsAndPickTheBestCompleteVenuePerWindow() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);

        DataStream<MidPrice> mids =
                env.fromData(
                                mid(W0, "coinbase", "100.5", "100", "101"),
                                mid(W0, "kraken", "100.25", "100.1", "100.4"),
                                mid(W1, "kraken", "101", "100.9", "101.1"))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<MidPrice>forMonotonousTimestamps()
                                        .withTimestampAssigner((m, t) -> m.windowStart + 59_999));
        DataStream<ExecutionQuote> quotes =
                env.fromData(
                                quote(W0, "coinbase", "buy", 50_000, true, "101.2"),
                                quote(W0, "kraken", "buy", 50_000, true, "100.9"),
                                quote(W0, "coinbase", "sell", 50_000, true, "99.8"),
                                quote(W0, "kraken", "sell", 50_000, true, "99.7"),
                                // kraken is cheaper but could not fill: coinbase wins alone
                                quote(W0, "coinbase", "buy", 100_000, true, "101.9"),
                                quote(W0, "kraken", "buy", 100_000, false, "100.95"),
                                // nobody fills: no row
                                quote(W0, "coinbase", "sell", 100_000, false, "99"),
                                quote(W0, "kraken", "sell", 100_000, false, "99"),
                                quote(W1, "kraken", "buy", 50_000, true, "101.3"))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<ExecutionQuote>forMonotonousTimestamps()
                                        .withTimestampAssigner((q, t) -> q.windowStart + 59_999));

        CrossExchangeStage.Result result = CrossExchangeStage.apply(tEnv, mids, quotes);
        List<MidPrice> all = new ArrayList<>();
        List<BestExecution> best = new ArrayList<>();
        DataStream<Object> union =
                result.allMids()
                        .map(m -> (Object) m)
                        .returns(Object.class)
                        .union(result.bestExecution().map(b -> (Object) b).returns(Object.class));
        try (CloseableIterator<Object> it = union.executeAndCollect()) {
            it.forEachRemaining(
                    o -> {
                        if (o instanceof MidPrice) {
                            all.add((MidPrice) o);
                        } else {
                            best.add((BestExecution) o);
                        }
                    });
        }
        all.sort(Comparator.comparingLong(m -> m.windowStart));
        assertThat(all).hasSize(2);
        assertThat(all.get(0).exchange).isEqualTo("all");
        assertThat(all.get(0).mid).isEqualByComparingTo("100.375");
        assertThat(all.get(0).samples).isEqualTo(2);
        assertThat(all.get(0).bestBid).isEqualByComparingTo("100.1");
        assertThat(all.get(0).bestAsk).isEqualByComparingTo("100.4");
        assertThat(all.get(0).spreadBps)
                .isCloseTo(0.3 / 100.25 * 10_000, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(all.get(1).mid).isEqualByComparingTo("101");
        assertThat(all.get(1).samples).isEqualTo(1);
        // completeness: the exchanges behind each `all` mid, their polls and expected polls summed
        assertThat(all)
                .extracting(
                        m ->
                                String.join(",", m.exchanges)
                                        + " "
                                        + m.exchangeSamples
                                        + " of "
                                        + m.expectedSamples)
                .containsExactly("coinbase,kraken 2 of 6", "kraken 1 of 3");

        best.sort(
                Comparator.comparingLong((BestExecution b) -> b.windowStart)
                        .thenComparing(b -> b.side)
                        .thenComparingLong(b -> b.notional));
        assertThat(best)
                .extracting(
                        b ->
                                b.windowStart
                                        + " "
                                        + b.side
                                        + " "
                                        + b.notional
                                        + " "
                                        + b.exchange
                                        + " "
                                        + b.avgPrice.stripTrailingZeros().toPlainString()
                                        + " "
                                        + b.candidates)
                .containsExactly(
                        W0 + " buy 50000 kraken 100.9 2",
                        W0 + " buy 100000 coinbase 101.9 1",
                        W0 + " sell 50000 coinbase 99.8 2",
                        W1 + " buy 50000 kraken 101.3 1");
        // the exchanges that quoted the window, filled or not, and their polls summed
        assertThat(best)
                .extracting(
                        b ->
                                String.join(",", b.exchanges)
                                        + " "
                                        + b.exchangeSamples
                                        + " of "
                                        + b.expectedSamples)
                .containsExactly(
                        "coinbase,kraken 5 of 6",
                        "coinbase,kraken 5 of 6",
                        "coinbase,kraken 5 of 6",
                        "kraken 2 of 3");
    }
}
