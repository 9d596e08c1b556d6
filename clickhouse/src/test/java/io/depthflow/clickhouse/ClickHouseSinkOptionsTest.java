package io.depthflow.clickhouse;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClickHouseSinkOptionsTest {

    private static final String URL = "jdbc:clickhouse://127.0.0.1:8123/default?compress=0";

    @Test
    void shouldDefaultToBatchesOf1000EverySecondWith3Retries() {
        ClickHouseSinkOptions options =
                ClickHouseSinkOptions.builder().jdbcUrl(URL).build(Map.of());

        assertThat(options.jdbcUrl()).isEqualTo(URL);
        assertThat(options.batchSize()).isEqualTo(1000);
        assertThat(options.batchIntervalMs()).isEqualTo(1000);
        assertThat(options.maxRetries()).isEqualTo(3);
        assertThat(options.user()).isEqualTo("default");
        assertThat(options.password()).isEmpty();
    }

    @Test
    void shouldTakeCredentialsFromTheEnvironmentUnlessGiven() {
        Map<String, String> env =
                Map.of("CLICKHOUSE_USER", "writer", "CLICKHOUSE_PASSWORD", "s3cret");

        ClickHouseSinkOptions fromEnv = ClickHouseSinkOptions.builder().jdbcUrl(URL).build(env);
        ClickHouseSinkOptions explicit =
                ClickHouseSinkOptions.builder()
                        .jdbcUrl(URL)
                        .user("admin")
                        .password("other")
                        .build(env);

        assertThat(fromEnv.user()).isEqualTo("writer");
        assertThat(fromEnv.password()).isEqualTo("s3cret");
        assertThat(explicit.user()).isEqualTo("admin");
        assertThat(explicit.password()).isEqualTo("other");
    }

    @Test
    void shouldReadThePasswordFromAMountedSecretFile(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("clickhouse-password");
        Files.writeString(secret, "from-file\r\n\n");

        ClickHouseSinkOptions options =
                ClickHouseSinkOptions.builder()
                        .jdbcUrl(URL)
                        .build(
                                Map.of(
                                        "CLICKHOUSE_USER",
                                        "depthflow_writer",
                                        "CLICKHOUSE_PASSWORD_FILE",
                                        secret.toString()));

        assertThat(options.user()).isEqualTo("depthflow_writer");
        assertThat(options.password()).isEqualTo("from-file");
    }

    @Test
    void shouldRefuseTwoPasswordSourcesAndAnUnreadableFileWithoutShowingASecret(@TempDir Path dir) {
        ClickHouseSinkOptions.Builder builder = ClickHouseSinkOptions.builder().jdbcUrl(URL);
        Path missing = dir.resolve("missing");

        assertThatThrownBy(
                        () ->
                                builder.build(
                                        Map.of(
                                                "CLICKHOUSE_PASSWORD",
                                                "s3cret",
                                                "CLICKHOUSE_PASSWORD_FILE",
                                                missing.toString())))
                .hasMessage("Set either CLICKHOUSE_PASSWORD or CLICKHOUSE_PASSWORD_FILE, not both");
        assertThatThrownBy(
                        () -> builder.build(Map.of("CLICKHOUSE_PASSWORD_FILE", missing.toString())))
                .hasMessageContaining("CLICKHOUSE_PASSWORD_FILE=" + missing)
                .hasMessageContaining("NoSuchFileException");
    }

    @Test
    void shouldNeverShowThePassword() {
        ClickHouseSinkOptions options =
                ClickHouseSinkOptions.builder()
                        .jdbcUrl("jdbc:clickhouse://db:8123/default?user=u&password=in-url")
                        .password("s3cret")
                        .build(Map.of());

        assertThat(options.toString())
                .doesNotContain("s3cret")
                .doesNotContain("in-url")
                .contains("password=***", "user=default", "batchSize=1000");
    }

    @Test
    void shouldRejectInvalidSettings() {
        ClickHouseSinkOptions.Builder builder = ClickHouseSinkOptions.builder();

        assertThatThrownBy(() -> builder.jdbcUrl("jdbc:postgresql://db/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Not a ClickHouse JDBC URL");
        assertThatThrownBy(() -> builder.batchSize(0))
                .hasMessageContaining("batchSize must be positive, got 0");
        assertThatThrownBy(() -> builder.batchIntervalMs(-1))
                .hasMessageContaining("batchIntervalMs must be >= 0");
        assertThatThrownBy(() -> builder.maxRetries(-1))
                .hasMessageContaining("maxRetries must be >= 0");
        assertThatThrownBy(builder::build).hasMessageContaining("jdbcUrl is required");
    }

    @Test
    void shouldReadTheFlinkConfigurationKeys() {
        Configuration config = new Configuration();
        config.set(ClickHouseSinkOptions.URL, URL);
        config.set(ClickHouseSinkOptions.USER, "writer");
        config.set(ClickHouseSinkOptions.BATCH_SIZE, 50);
        config.set(ClickHouseSinkOptions.BATCH_INTERVAL, Duration.ofMillis(250));
        config.set(ClickHouseSinkOptions.MAX_RETRIES, 5);

        ClickHouseSinkOptions options = ClickHouseSinkOptions.fromConfig(config);

        assertThat(ClickHouseSinkOptions.BATCH_SIZE.key()).isEqualTo("sink.clickhouse.batch-size");
        assertThat(options.jdbcUrl()).isEqualTo(URL);
        assertThat(options.user()).isEqualTo("writer");
        assertThat(options.batchSize()).isEqualTo(50);
        assertThat(options.batchIntervalMs()).isEqualTo(250);
        assertThat(options.maxRetries()).isEqualTo(5);
        assertThatThrownBy(() -> ClickHouseSinkOptions.fromConfig(new Configuration()))
                .hasMessageContaining("Missing required option sink.clickhouse.url");
    }

    @Test
    void shouldReadTheBufferAndRetryKeysAndCheckThem() {
        Configuration config = new Configuration();
        config.set(ClickHouseSinkOptions.URL, URL);
        config.set(ClickHouseSinkOptions.MAX_BUFFERED_ROWS, 5_000);
        config.set(
                ClickHouseSinkOptions.MAX_BUFFERED_BYTES,
                org.apache.flink.configuration.MemorySize.parse("8 mb"));
        config.set(ClickHouseSinkOptions.RETRY_INITIAL_BACKOFF, Duration.ofMillis(500));
        config.set(ClickHouseSinkOptions.RETRY_MAX_BACKOFF, Duration.ofSeconds(10));
        config.set(ClickHouseSinkOptions.REQUEST_TIMEOUT, Duration.ofSeconds(20));
        config.set(ClickHouseSinkOptions.OUTAGE_LOG_INTERVAL, Duration.ofMinutes(1));

        ClickHouseSinkOptions options = ClickHouseSinkOptions.fromConfig(config);

        assertThat(ClickHouseSinkOptions.MAX_BUFFERED_BYTES.key())
                .isEqualTo("sink.clickhouse.max-buffered-bytes");
        assertThat(options.maxBufferedRows()).isEqualTo(5_000);
        assertThat(options.maxBufferedBytes()).isEqualTo(8L << 20);
        assertThat(options.retryInitialBackoffMs()).isEqualTo(500);
        assertThat(options.retryMaxBackoffMs()).isEqualTo(10_000);
        assertThat(options.requestTimeoutMs()).isEqualTo(20_000);
        assertThat(options.outageLogIntervalMs()).isEqualTo(60_000);

        ClickHouseSinkOptions defaults = ClickHouseSinkOptions.builder().jdbcUrl(URL).build();
        assertThat(defaults.maxBufferedRows()).isEqualTo(200_000);
        assertThat(defaults.maxBufferedBytes()).isEqualTo(64L << 20);
        assertThat(defaults.retryInitialBackoffMs()).isEqualTo(1_000);
        assertThat(defaults.retryMaxBackoffMs()).isEqualTo(30_000);

        ClickHouseSinkOptions.Builder builder = ClickHouseSinkOptions.builder().jdbcUrl(URL);
        assertThatThrownBy(() -> builder.retryBackoffMs(2_000, 1_000))
                .hasMessageContaining("must be at least the initial backoff");
        assertThatThrownBy(() -> builder.maxBufferedBytes(0))
                .hasMessageContaining("maxBufferedBytes must be positive");
        assertThatThrownBy(() -> builder.batchSize(100).maxBufferedRows(100).build())
                .hasMessageContaining("maxBufferedRows (100) must be greater than batchSize (100)");
    }
}
