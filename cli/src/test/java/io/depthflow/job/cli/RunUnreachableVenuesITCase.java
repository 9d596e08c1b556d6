package io.depthflow.job.cli;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run} against venues it cannot reach (a refused port, a host without DNS answer): the
 * terminal says so once per venue, with the cause in words, however many polls fail; the cause was
 * once only in the log file, behind a table of {@code -}.
 */
@ExtendWith(ClickHouseTestServer.class)
class RunUnreachableVenuesITCase {

    @TempDir Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldSayOncePerVenueThatItCannotBeReachedAndWhy() throws Exception {
        ClickHouseTestServer.resetSchema();
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CliMessagesTest.Result r =
                CliMessagesTest.exec(
                        "run",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--clickhouse-url",
                        ClickHouseTestServer.jdbcUrl(),
                        "--coinbase-url",
                        "http://127.0.0.1:" + closed,
                        "--kraken-url",
                        "http://depthflow-test.invalid",
                        "--interval",
                        "2s",
                        "--duration",
                        "12s",
                        "--web-port",
                        "0",
                        "--no-dashboard",
                        "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        // several failed polls per venue (two markets, every 2 s), one line each
        assertThat(
                        Long.parseLong(
                                ClickHouseTestServer.query(
                                                "SELECT count() FROM ingest_errors WHERE error_type = 'transport' AND exchange = 'coinbase'")
                                        .get(0)
                                        .get(0)))
                .isGreaterThanOrEqualTo(4);
        // the first failure of each venue names it: either market's request
        assertThat(r.err().lines().filter(l -> l.contains("unreachable")).sorted().toList())
                .hasSize(2)
                .satisfiesExactly(
                        l ->
                                assertThat(l)
                                        .matches(
                                                "depthflow: coinbase unreachable: GET http://127\\.0\\.0\\.1:"
                                                        + closed
                                                        + "/products/(BTC|ETH)-USD/book\\?level=2: connection refused; the run keeps trying"),
                        l ->
                                assertThat(l)
                                        .matches(
                                                "depthflow: kraken unreachable: GET http://depthflow-test\\.invalid"
                                                        + "/0/public/Depth\\?pair=(XBT|ETH)USD&count=500: unknown host \\(no DNS answer\\); the run keeps trying"));
    }
}
