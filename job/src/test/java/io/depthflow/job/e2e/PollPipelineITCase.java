package io.depthflow.job.e2e;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.JobEnvironment;
import io.depthflow.job.PollWorkflow;
import io.depthflow.job.options.RunOptions;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.testing.MiniClusters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole poll pipeline over real HTTP and into the real ClickHouse engine: the exchange
 * simulator (on an accelerated clock: two real seconds are one minute of event time), the FLIP-27
 * poll source, the job in a MiniCluster, the JDBC sinks, the embedded ClickHouse, read back through
 * the BI views; with faults injected on both exchanges.
 */
@ExtendWith(ClickHouseTestServer.class)
class PollPipelineITCase {

    @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.loopbackTwoSlots();

    /** An hour ago, 10 s before a minute boundary (raw_order_books keeps 30 days: stay recent). */
    private static final long START =
            (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L - 10_000L;

    @BeforeEach
    void freshSchema() throws Exception {
        ClickHouseTestServer.resetSchema();
    }

    @Test
    void shouldWriteMidsAndBestVenuesForEveryMinuteAndRecordEveryFault() throws Exception {
        AcceleratedClock clock = new AcceleratedClock(START, 30);
        try (ExchangeSimulator sim =
                ExchangeSimulator.builder()
                        .clock(clock)
                        .seed(7)
                        .slowDelay(Duration.ofSeconds(3))
                        .start()) {
            sim.injectFault("kraken", Fault.HTTP_500, 2);
            sim.injectFault("coinbase", Fault.MALFORMED_JSON, 1);
            sim.injectFault("kraken", Fault.EXCHANGE_ERROR, 1);
            sim.injectFault("coinbase", Fault.CROSSED_BOOK, 1);
            sim.injectFault("kraken", Fault.EMPTY_BOOK, 1);

            RunOptions opts =
                    RunOptions.parse(
                            new String[] {
                                "--coinbase-url",
                                sim.baseUrl("coinbase"),
                                "--kraken-url",
                                sim.baseUrl("kraken"),
                                "--interval",
                                "15s",
                                "--duration",
                                "4m",
                                "--out-of-orderness",
                                "90s",
                                "--clickhouse-url",
                                ClickHouseTestServer.jdbcUrl()
                            });
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            PollWorkflow.build(
                    env,
                    opts,
                    JobEnvironment.sinkOptions(ClickHouseTestServer.jdbcUrl()),
                    clock,
                    b ->
                            b.setRateLimit("kraken", 50, 10)
                                    .setRateLimit("coinbase", 50, 10)
                                    .setConnectTimeout(Duration.ofSeconds(2))
                                    .setRequestTimeout(Duration.ofSeconds(2)));
            env.execute("poll-pipeline-it");
        }

        // Every fault is one error row with its reason and payload; the job kept running.
        Map<String, Long> errors =
                ClickHouseTestServer.query(
                                "SELECT exchange, error_type, count() FROM ingest_errors FINAL GROUP BY exchange, error_type")
                        .stream()
                        .collect(
                                Collectors.toMap(
                                        r -> r.get(0) + "/" + r.get(1),
                                        r -> Long.parseLong(r.get(2))));
        assertThat(errors)
                .containsEntry("kraken/http_status", 2L)
                .containsEntry("coinbase/malformed", 1L)
                .containsEntry("kraken/exchange_error", 1L)
                .containsEntry("coinbase/crossed_book", 1L)
                .containsEntry("kraken/empty_book", 1L);
        assertThat(
                        ClickHouseTestServer.query(
                                        "SELECT error, payload FROM ingest_errors FINAL WHERE error_type = 'exchange_error'")
                                .get(0))
                .satisfies(
                        r -> {
                            assertThat(r.get(0)).startsWith("kraken: ");
                            assertThat(r.get(1)).contains("\"error\":[\"E");
                        });

        // Recompute everything independently from the verbatim payloads in the bronze table
        // (minus snapshots the job reported late, which by definition count in no window).
        List<String> lines = new ArrayList<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, market, toUnixTimestamp64Milli(received_at), http_status, payload FROM raw_order_books FINAL"
                                + " WHERE (exchange, market, received_at) NOT IN"
                                + " (SELECT exchange, market, received_at FROM ingest_errors FINAL WHERE error_type = 'late')"
                                + " ORDER BY received_at")) {
            lines.add(
                    CaptureFormat.encode(
                            RawMessage.restResponse(
                                    r.get(0),
                                    r.get(1),
                                    Long.parseLong(r.get(2)),
                                    Integer.parseInt(r.get(3)),
                                    r.get(4))));
        }
        IndependentCalculation expected =
                IndependentCalculation.of(lines, IndependentCalculation.jobDefaultNotionals());
        // Under load fewer polls fit in the accelerated minutes; a handful per book is enough here.
        assertThat(expected.usableBooks).isGreaterThanOrEqualTo(12);
        assertThat(expected.bestVenue).isNotEmpty();

        BiViewsCheck.assertViewsMatch(expected);
    }
}
