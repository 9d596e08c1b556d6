package io.depthflow.job.cli;

import org.apache.flink.connector.base.DeliveryGuarantee;

import io.depthflow.job.options.RunOptions;
import io.depthflow.job.options.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka raw-log flags of {@code run}: which combinations mean what, and one-line errors. */
class RunOptionsKafkaTest {

    @TempDir Path dir;

    @Test
    void shouldNeitherWriteNorReadTheLogWithoutABootstrapServer() throws Exception {
        RunOptions o = RunOptions.parse(new String[0]);
        assertThat(o.source).isEqualTo(RunOptions.SOURCE_REST);
        assertThat(o.kafka).isNull();
        assertThat(o.writesRawLog()).isFalse();
        assertThat(o.readsRawLog()).isFalse();
    }

    @Test
    void shouldWriteTheLogBesidesPollingOrReplayingWhenABootstrapServerIsGiven() throws Exception {
        RunOptions polling = RunOptions.parse(new String[] {"--kafka-bootstrap", "127.0.0.1:9092"});
        assertThat(polling.writesRawLog()).isTrue();
        assertThat(polling.kafka.delivery()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);

        Path capture = Files.writeString(dir.resolve("c.jsonl"), "");
        RunOptions replay =
                RunOptions.parse(
                        new String[] {
                            "--replay",
                            capture.toString(),
                            "--kafka-bootstrap",
                            "127.0.0.1:9092",
                            "--kafka-topic",
                            "raw.v2",
                            "--kafka-delivery",
                            "at-least-once"
                        });
        assertThat(replay.writesRawLog()).isTrue();
        assertThat(replay.kafka.topic()).isEqualTo("raw.v2");
        assertThat(replay.kafka.delivery()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    }

    @Test
    void shouldReadTheLogInsteadOfWritingItWithSourceKafka() throws Exception {
        RunOptions o =
                RunOptions.parse(
                        new String[] {
                            "--source",
                            "kafka",
                            "--kafka-bootstrap",
                            "127.0.0.1:9092",
                            "--kafka-start",
                            "2026-11-20T11:45:00Z",
                            "--kafka-group-id",
                            "backfill",
                            "--kafka-bounded"
                        });
        assertThat(o.readsRawLog()).isTrue();
        assertThat(o.writesRawLog()).isFalse();
        assertThat(o.kafka.bounded()).isTrue();
        assertThat(o.kafka.groupId()).isEqualTo("backfill");
        assertThat(o.kafka.startAt()).hasToString("2026-11-20T11:45:00Z");
    }

    @Test
    void shouldRejectFlagCombinationsThatDoNotMeanAnything() throws Exception {
        Path capture = Files.writeString(dir.resolve("c.jsonl"), "");
        assertRejected("--source kafka needs --kafka-bootstrap HOST:PORT", "--source", "kafka");
        assertRejected("--source is rest or kafka, got 'file'", "--source", "file");
        assertRejected("--kafka-topic needs --kafka-bootstrap", "--kafka-topic", "t");
        assertRejected(
                "--replay and --source kafka are two inputs",
                "--source",
                "kafka",
                "--kafka-bootstrap",
                "k:9092",
                "--replay",
                capture.toString());
        assertRejected(
                "--kafka-bounded is for reading the raw log; it needs --source kafka",
                "--kafka-bootstrap",
                "k:9092",
                "--kafka-bounded");
        assertRejected(
                "--kafka-delivery is for writing the raw log",
                "--source",
                "kafka",
                "--kafka-bootstrap",
                "k:9092",
                "--kafka-delivery",
                "at-least-once");
        assertRejected(
                "--duration and --interval do not apply",
                "--source",
                "kafka",
                "--kafka-bootstrap",
                "k:9092",
                "--duration",
                "5m");
        assertRejected(
                "--kafka-delivery: the Kafka delivery guarantee is exactly-once or at-least-once, got 'twice'",
                "--kafka-bootstrap",
                "k:9092",
                "--kafka-delivery",
                "twice");
        assertRejected(
                "--kafka-bootstrap: the Kafka bootstrap servers must be HOST:PORT",
                "--kafka-bootstrap",
                "kafka");
    }

    @Test
    void shouldExitWithCodeTwoAndOneLineOnABadCombination() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.execute(
                        new String[] {"run", "--source", "kafka"},
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "depthflow run: --source kafka needs --kafka-bootstrap HOST:PORT (the Kafka cluster holding the raw log)"
                                + System.lineSeparator());
    }

    private static void assertRejected(String message, String... args) {
        assertThatThrownBy(() -> RunOptions.parse(args))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("run: ")
                .hasMessageContaining(message);
    }
}
