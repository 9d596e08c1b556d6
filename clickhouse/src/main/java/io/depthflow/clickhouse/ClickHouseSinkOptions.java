package io.depthflow.clickhouse;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Where and how the ClickHouse sinks of {@link ClickHouseSinks} write. Immutable; resolve it once
 * in {@code main()} and pass it to the sink factories.
 *
 * <pre>{@code
 * ClickHouseSinkOptions options = ClickHouseSinkOptions.builder()
 *         .jdbcUrl("jdbc:clickhouse://127.0.0.1:8123/default?compress=0")
 *         .batchSize(1000)
 *         .batchIntervalMs(1000)
 *         .build();
 * // or from a Flink configuration holding the keys below:
 * ClickHouseSinkOptions options = ClickHouseSinkOptions.fromConfig(config);
 * }</pre>
 *
 * <p>Credentials: when the user or password is not given, they are read from the environment
 * variables {@code CLICKHOUSE_USER} and {@code CLICKHOUSE_PASSWORD} (defaults {@code default} and
 * empty); instead of {@code CLICKHOUSE_PASSWORD}, {@code CLICKHOUSE_PASSWORD_FILE} may name a
 * file holding the password (a mounted Kubernetes or Docker secret; trailing line ends are
 * ignored). There is deliberately no configuration key for the password, and {@link #toString()}
 * never shows it. Note that the password travels inside the job graph, as with any Flink JDBC sink.
 */
@PublicEvolving
public final class ClickHouseSinkOptions {

    public static final ConfigOption<String> URL =
            ConfigOptions.key("sink.clickhouse.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "JDBC URL of ClickHouse, e.g. jdbc:clickhouse://host:8123/default"
                                    + " (the embedded ClickHouse needs ?compress=0).");

    public static final ConfigOption<String> USER =
            ConfigOptions.key("sink.clickhouse.user")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "ClickHouse user; defaults to the environment variable CLICKHOUSE_USER,"
                                    + " then 'default'. The password only comes from"
                                    + " CLICKHOUSE_PASSWORD or the file named by"
                                    + " CLICKHOUSE_PASSWORD_FILE.");

    public static final ConfigOption<Integer> BATCH_SIZE =
            ConfigOptions.key("sink.clickhouse.batch-size")
                    .intType()
                    .defaultValue(1000)
                    .withDescription("Rows buffered per sink subtask before an INSERT.");

    public static final ConfigOption<Duration> BATCH_INTERVAL =
            ConfigOptions.key("sink.clickhouse.batch-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "Longest time a buffered row waits for its INSERT; 0 = size only.");

    public static final ConfigOption<Integer> MAX_RETRIES =
            ConfigOptions.key("sink.clickhouse.max-retries")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Retries of a failed INSERT (1 s, 2 s, ... apart) before the job fails"
                                    + " and restarts.");

    static final String ENV_USER = "CLICKHOUSE_USER";
    static final String ENV_PASSWORD = "CLICKHOUSE_PASSWORD";
    static final String ENV_PASSWORD_FILE = "CLICKHOUSE_PASSWORD_FILE";
    private static final String DEFAULT_USER = "default";
    private static final String DRIVER = "com.clickhouse.jdbc.ClickHouseDriver";

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final int batchSize;
    private final long batchIntervalMs;
    private final int maxRetries;

    private ClickHouseSinkOptions(Builder b, String user, String password) {
        this.jdbcUrl = b.jdbcUrl;
        this.user = user;
        this.password = password;
        this.batchSize = b.batchSize;
        this.batchIntervalMs = b.batchIntervalMs;
        this.maxRetries = b.maxRetries;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options from a Flink configuration ({@link #URL} is required), credentials as above. */
    public static ClickHouseSinkOptions fromConfig(ReadableConfig config) {
        Builder builder =
                builder()
                        .jdbcUrl(
                                config.getOptional(URL)
                                        .orElseThrow(
                                                () ->
                                                        new IllegalArgumentException(
                                                                "Missing required option "
                                                                        + URL.key())))
                        .batchSize(config.get(BATCH_SIZE))
                        .batchIntervalMs(config.get(BATCH_INTERVAL).toMillis())
                        .maxRetries(config.get(MAX_RETRIES));
        config.getOptional(USER).ifPresent(builder::user);
        return builder.build();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    /** The password; never log it. */
    public String password() {
        return password;
    }

    public int batchSize() {
        return batchSize;
    }

    public long batchIntervalMs() {
        return batchIntervalMs;
    }

    public int maxRetries() {
        return maxRetries;
    }

    JdbcConnectionOptions connectionOptions() {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(jdbcUrl)
                // explicit, so the driver is found through Flink's user-code class loader
                .withDriverName(DRIVER)
                .withUsername(user)
                .withPassword(password)
                .build();
    }

    JdbcExecutionOptions executionOptions() {
        return JdbcExecutionOptions.builder()
                .withBatchSize(batchSize)
                .withBatchIntervalMs(batchIntervalMs)
                .withMaxRetries(maxRetries)
                .build();
    }

    /** {@code url} with the value of any {@code password=} parameter masked, for messages. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return "ClickHouseSinkOptions{jdbcUrl="
                + redact(jdbcUrl)
                + ", user="
                + user
                + ", batchSize="
                + batchSize
                + ", batchIntervalMs="
                + batchIntervalMs
                + ", maxRetries="
                + maxRetries
                + '}';
    }

    /** Builder; every setter validates, and {@link #build()} resolves the credentials. */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private String password;
        private int batchSize = BATCH_SIZE.defaultValue();
        private long batchIntervalMs = BATCH_INTERVAL.defaultValue().toMillis();
        private int maxRetries = MAX_RETRIES.defaultValue();

        private Builder() {}

        /** A {@code jdbc:clickhouse:} (or {@code jdbc:ch:}) URL. */
        public Builder jdbcUrl(String jdbcUrl) {
            checkNotNull(jdbcUrl, "jdbcUrl");
            checkArgument(
                    jdbcUrl.startsWith("jdbc:clickhouse:") || jdbcUrl.startsWith("jdbc:ch:"),
                    "Not a ClickHouse JDBC URL: %s",
                    redact(jdbcUrl));
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        public Builder user(String user) {
            this.user = checkNotNull(user, "user");
            return this;
        }

        public Builder password(String password) {
            this.password = checkNotNull(password, "password");
            return this;
        }

        public Builder batchSize(int batchSize) {
            checkArgument(batchSize > 0, "batchSize must be positive, got %s", batchSize);
            this.batchSize = batchSize;
            return this;
        }

        public Builder batchIntervalMs(long batchIntervalMs) {
            checkArgument(
                    batchIntervalMs >= 0, "batchIntervalMs must be >= 0, got %s", batchIntervalMs);
            this.batchIntervalMs = batchIntervalMs;
            return this;
        }

        public Builder maxRetries(int maxRetries) {
            checkArgument(maxRetries >= 0, "maxRetries must be >= 0, got %s", maxRetries);
            this.maxRetries = maxRetries;
            return this;
        }

        public ClickHouseSinkOptions build() {
            return build(System.getenv());
        }

        @VisibleForTesting
        ClickHouseSinkOptions build(Map<String, String> env) {
            checkArgument(jdbcUrl != null, "jdbcUrl is required");
            String resolvedUser = user != null ? user : env.getOrDefault(ENV_USER, DEFAULT_USER);
            String resolvedPassword = password != null ? password : passwordFromEnvironment(env);
            return new ClickHouseSinkOptions(this, resolvedUser, resolvedPassword);
        }

        /**
         * {@code CLICKHOUSE_PASSWORD}, else the content of the file named by {@code
         * CLICKHOUSE_PASSWORD_FILE} without trailing line ends, else empty. Both set is an
         * error: a silent precedence would hide a stale secret.
         */
        private static String passwordFromEnvironment(Map<String, String> env) {
            String inline = env.get(ENV_PASSWORD);
            String file = env.get(ENV_PASSWORD_FILE);
            if (file == null || file.isEmpty()) {
                return inline == null ? "" : inline;
            }
            checkArgument(
                    inline == null || inline.isEmpty(),
                    "Set either %s or %s, not both",
                    ENV_PASSWORD,
                    ENV_PASSWORD_FILE);
            try {
                // like a shell's $(cat file): editors and kubectl add line ends, passwords have none
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).replaceAll("[\r\n]+$", "");
            } catch (IOException e) {
                // the path is not secret; the content never appears in a message
                throw new IllegalArgumentException(
                        "Cannot read the ClickHouse password from "
                                + ENV_PASSWORD_FILE
                                + "="
                                + file
                                + ": "
                                + e.getClass().getSimpleName(),
                        e);
            }
        }
    }
}
