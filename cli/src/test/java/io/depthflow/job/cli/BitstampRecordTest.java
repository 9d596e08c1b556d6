package io.depthflow.job.cli;

import io.depthflow.sources.capture.CaptureReader;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParsers;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.StreamSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code record} in poll and stream mode takes Bitstamp like any registered venue. */
class BitstampRecordTest {

    @TempDir Path dir;

    private static int exec(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        return Main.execute(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldRecordBitstampRestBooksThatParse() throws Exception {
        Path file = dir.resolve("poll.jsonl");
        try (ExchangeSimulator sim = ExchangeSimulator.builder().seed(2).start()) {
            int code =
                    exec(
                            "record",
                            "--out",
                            file.toString(),
                            "--duration",
                            "2s",
                            "--interval",
                            "1s",
                            "--exchanges",
                            "bitstamp",
                            "--bitstamp-url",
                            sim.baseUrl("bitstamp"));
            assertThat(code).isZero();
            assertThat(sim.requestCount("bitstamp")).isPositive();
        }
        List<RawMessage> lines = CaptureReader.readAll(file);
        assertThat(lines).isNotEmpty().allMatch(m -> m.exchange.equals("bitstamp"));
        assertThat(lines).extracting(m -> m.market).contains("BTC/USD", "ETH/USD");
        for (RawMessage m : lines) {
            OrderBookSnapshot s = BookParsers.parse(m);
            assertThat(s.bidPrices[0]).isLessThan(s.askPrices[0]);
        }
    }

    @Test
    void shouldRecordTheBitstampStreamAndVerifyIt() throws Exception {
        Path file = dir.resolve("stream.jsonl");
        try (StreamSimulator sim =
                StreamSimulator.builder().seed(4).messagesPerSecond(30).start()) {
            int code =
                    exec(
                            "record",
                            "--mode",
                            "stream",
                            "--out",
                            file.toString(),
                            "--duration",
                            "2s",
                            "--exchanges",
                            "bitstamp",
                            "--markets",
                            "BTC/USD",
                            "--bitstamp-ws-url",
                            sim.url("bitstamp"));
            assertThat(code).isZero();
        }
        assertThat(CaptureReader.readAll(file))
                .extracting(m -> m.kind)
                .contains(RawMessage.KIND_WS, RawMessage.KIND_WS_EVENT);
        assertThat(exec("verify", file.toString())).isZero();
    }
}
