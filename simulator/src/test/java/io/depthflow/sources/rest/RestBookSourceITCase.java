package io.depthflow.sources.rest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParsers;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.testing.MiniClusters;
import io.depthflow.sources.venue.coinbase.CoinbaseVenue;
import io.depthflow.sources.venue.kraken.KrakenVenue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The source in a bounded job on a MiniCluster at parallelism 2, against the simulator. */
class RestBookSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.loopbackTwoSlots();

    @Test
    void shouldEmitEveryPollOfEverySplitAndFinish() throws Exception {
        AcceleratedClock clock =
                new AcceleratedClock(Instant.parse("2026-11-20T11:45:00Z").toEpochMilli(), 60);
        try (ExchangeSimulator simulator = ExchangeSimulator.builder().clock(clock).start()) {
            simulator.injectFault(KrakenVenue.NAME, Fault.HTTP_500, 1);
            RestBookSource source =
                    RestBookSource.builder()
                            .setBaseUrl(CoinbaseVenue.NAME, simulator.baseUrl(CoinbaseVenue.NAME))
                            .setBaseUrl(KrakenVenue.NAME, simulator.baseUrl(KrakenVenue.NAME))
                            .setClock(clock)
                            .setInterval(Duration.ofSeconds(30)) // 500 ms real
                            .setRateLimit(KrakenVenue.NAME, 100, 10)
                            .setMaxPolls(3)
                            .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);

            List<RawMessage> records = new ArrayList<>();
            env.fromSource(source, WatermarkStrategy.noWatermarks(), "REST books")
                    .executeAndCollect()
                    .forEachRemaining(records::add);

            List<OrderBookSnapshot> books = new ArrayList<>();
            for (RawMessage raw : records) {
                if (raw.httpStatus == 200) {
                    books.add(BookParsers.parse(raw));
                }
            }
            // 3 scheduled polls per split; the 500 is retried unless the next tick is nearer than
            // the backoff (as after the first poll, which is late when the job starts after the
            // enumerator's first tick).
            assertThat(records).filteredOn(r -> r.httpStatus == 500).hasSize(1);
            assertThat(records).hasSize(books.size() + 1);
            assertThat(books).hasSizeBetween(11, 12);
            assertThat(books)
                    .extracting(b -> b.exchange + ":" + b.market)
                    .containsOnly(
                            "coinbase:BTC/USD",
                            "coinbase:ETH/USD",
                            "kraken:BTC/USD",
                            "kraken:ETH/USD");
            assertThat(records)
                    .allSatisfy(
                            r ->
                                    assertThat(r.receivedAt)
                                            .isGreaterThanOrEqualTo(
                                                    Instant.parse("2026-11-20T11:45:00Z")
                                                            .toEpochMilli()));
        }
    }
}
