package io.depthflow.clickhouse;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

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
 * empty); instead of {@code CLICKHOUSE_PASSWORD}, {@code CLICKHOUSE_PASSWORD_FILE} may name a file
 * holding the password (a mounted Kubernetes or Docker secret; trailing line ends are ignored).
 * There is deliberately no configuration key for the password, and {@link #toString()} never shows
 * it. Note that the password travels inside the job graph, as with any Flink JDBC sink.
 */
@PublicEvolving
public final class ClickHouseSinkOptions implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

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

    /**
     * @deprecated the sink no longer gives up: a failed INSERT waits in the sink's checkpointed
     *     buffer and is retried until ClickHouse takes it ({@link #RETRY_INITIAL_BACKOFF}, {@link
     *     #RETRY_MAX_BACKOFF}). Still accepted so that existing configurations keep working.
     */
    @Deprecated
    public static final ConfigOption<Integer> MAX_RETRIES =
            ConfigOptions.key("sink.clickhouse.max-retries")
                    .intType()
                    .defaultValue(3)
                    .withDescription(
                            "Ignored (kept for old configurations): the sink retries a failed"
                                    + " INSERT until ClickHouse takes it, see"
                                    + " sink.clickhouse.retry-max-backoff.");

    public static final ConfigOption<Integer> MAX_BUFFERED_ROWS =
            ConfigOptions.key("sink.clickhouse.max-buffered-rows")
                    .intType()
                    .defaultValue(200_000)
                    .withDescription(
                            "Rows one sink subtask keeps (in memory and in its checkpointed state)"
                                    + " while ClickHouse is unreachable. Past it, or past"
                                    + " sink.clickhouse.max-buffered-bytes, the sink back-pressures"
                                    + " its input until rows are written; it never drops them.");

    public static final ConfigOption<MemorySize> MAX_BUFFERED_BYTES =
            ConfigOptions.key("sink.clickhouse.max-buffered-bytes")
                    .memoryType()
                    .defaultValue(MemorySize.ofMebiBytes(64))
                    .withDescription(
                            "Estimated size of the rows one sink subtask keeps while ClickHouse is"
                                    + " unreachable; bronze payloads reach it first. Past it, the"
                                    + " sink back-pressures its input.");

    public static final ConfigOption<Duration> RETRY_INITIAL_BACKOFF =
            ConfigOptions.key("sink.clickhouse.retry-initial-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "Wait before the first retry of a failed INSERT; doubled after each"
                                    + " further failure, with up to 20% random jitter.");

    public static final ConfigOption<Duration> RETRY_MAX_BACKOFF =
            ConfigOptions.key("sink.clickhouse.retry-max-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("Longest wait between two retries while ClickHouse is down.");

    public static final ConfigOption<Duration> REQUEST_TIMEOUT =
            ConfigOptions.key("sink.clickhouse.request-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "Longest time one INSERT may take (socket timeout; connecting gets at"
                                    + " most 5 s of it); a timed-out INSERT is retried.");

    public static final ConfigOption<Duration> OUTAGE_LOG_INTERVAL =
            ConfigOptions.key("sink.clickhouse.outage-log-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "While ClickHouse stays unreachable, how often each sink logs one"
                                    + " 'still unreachable' line.");

    static final String ENV_USER = "CLICKHOUSE_USER";
    static final String ENV_PASSWORD = "CLICKHOUSE_PASSWORD";
    static final String ENV_PASSWORD_FILE = "CLICKHOUSE_PASSWORD_FILE";
    private static final String DEFAULT_USER = "default";

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final int batchSize;
    private final long batchIntervalMs;
    private final int maxRetries;
    private final int maxBufferedRows;
    private final long maxBufferedBytes;
    private final long retryInitialBackoffMs;
    private final long retryMaxBackoffMs;
    private final long requestTimeoutMs;
    private final long outageLogIntervalMs;

    private ClickHouseSinkOptions(Builder b, String user, String password) {
        this.jdbcUrl = b.jdbcUrl;
        this.user = user;
        this.password = password;
        this.batchSize = b.batchSize;
        this.batchIntervalMs = b.batchIntervalMs;
        this.maxRetries = b.maxRetries;
        this.maxBufferedRows = b.maxBufferedRows;
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.retryInitialBackoffMs = b.retryInitialBackoffMs;
        this.retryMaxBackoffMs = b.retryMaxBackoffMs;
        this.requestTimeoutMs = b.requestTimeoutMs;
        this.outageLogIntervalMs = b.outageLogIntervalMs;
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
                        .maxRetries(config.get(MAX_RETRIES))
                        .maxBufferedRows(config.get(MAX_BUFFERED_ROWS))
                        .maxBufferedBytes(config.get(MAX_BUFFERED_BYTES).getBytes())
                        .retryBackoffMs(
                                config.get(RETRY_INITIAL_BACKOFF).toMillis(),
                                config.get(RETRY_MAX_BACKOFF).toMillis())
                        .requestTimeoutMs(config.get(REQUEST_TIMEOUT).toMillis())
                        .outageLogIntervalMs(config.get(OUTAGE_LOG_INTERVAL).toMillis());
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

    /** Ignored since the sink retries until ClickHouse answers; see {@link #MAX_RETRIES}. */
    @Deprecated
    public int maxRetries() {
        return maxRetries;
    }

    /** Most rows one sink subtask buffers before it back-pressures its input. */
    public int maxBufferedRows() {
        return maxBufferedRows;
    }

    /** Most (estimated) bytes one sink subtask buffers before it back-pressures its input. */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    public long retryInitialBackoffMs() {
        return retryInitialBackoffMs;
    }

    public long retryMaxBackoffMs() {
        return retryMaxBackoffMs;
    }

    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public long outageLogIntervalMs() {
        return outageLogIntervalMs;
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
                + ", maxBufferedRows="
                + maxBufferedRows
                + ", maxBufferedBytes="
                + maxBufferedBytes
                + ", retryBackoffMs="
                + retryInitialBackoffMs
                + ".."
                + retryMaxBackoffMs
                + ", requestTimeoutMs="
                + requestTimeoutMs
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
        private int maxBufferedRows = MAX_BUFFERED_ROWS.defaultValue();
        private long maxBufferedBytes = MAX_BUFFERED_BYTES.defaultValue().getBytes();
        private long retryInitialBackoffMs = RETRY_INITIAL_BACKOFF.defaultValue().toMillis();
        private long retryMaxBackoffMs = RETRY_MAX_BACKOFF.defaultValue().toMillis();
        private long requestTimeoutMs = REQUEST_TIMEOUT.defaultValue().toMillis();
        private long outageLogIntervalMs = OUTAGE_LOG_INTERVAL.defaultValue().toMillis();

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

        public Builder maxBufferedRows(int maxBufferedRows) {
            checkArgument(
                    maxBufferedRows > 0,
                    "maxBufferedRows must be positive, got %s",
                    maxBufferedRows);
            this.maxBufferedRows = maxBufferedRows;
            return this;
        }

        public Builder maxBufferedBytes(long maxBufferedBytes) {
            checkArgument(
                    maxBufferedBytes > 0,
                    "maxBufferedBytes must be positive, got %s",
                    maxBufferedBytes);
            this.maxBufferedBytes = maxBufferedBytes;
            return this;
        }

        /** First wait after a failure and the cap it doubles up to. */
        public Builder retryBackoffMs(long initialMs, long maxMs) {
            checkArgument(
                    initialMs > 0, "retry initial backoff must be positive, got %s ms", initialMs);
            checkArgument(
                    maxMs >= initialMs,
                    "retry max backoff (%s ms) must be at least the initial backoff (%s ms)",
                    maxMs,
                    initialMs);
            this.retryInitialBackoffMs = initialMs;
            this.retryMaxBackoffMs = maxMs;
            return this;
        }

        public Builder requestTimeoutMs(long requestTimeoutMs) {
            checkArgument(
                    requestTimeoutMs >= 1000,
                    "requestTimeoutMs must be at least 1000, got %s",
                    requestTimeoutMs);
            this.requestTimeoutMs = requestTimeoutMs;
            return this;
        }

        public Builder outageLogIntervalMs(long outageLogIntervalMs) {
            checkArgument(
                    outageLogIntervalMs > 0,
                    "outageLogIntervalMs must be positive, got %s",
                    outageLogIntervalMs);
            this.outageLogIntervalMs = outageLogIntervalMs;
            return this;
        }

        public ClickHouseSinkOptions build() {
            return build(System.getenv());
        }

        @VisibleForTesting
        ClickHouseSinkOptions build(Map<String, String> env) {
            checkArgument(jdbcUrl != null, "jdbcUrl is required");
            checkArgument(
                    maxBufferedRows > batchSize,
                    "maxBufferedRows (%s) must be greater than batchSize (%s)",
                    maxBufferedRows,
                    batchSize);
            String resolvedUser = user != null ? user : env.getOrDefault(ENV_USER, DEFAULT_USER);
            String resolvedPassword = password != null ? password : passwordFromEnvironment(env);
            return new ClickHouseSinkOptions(this, resolvedUser, resolvedPassword);
        }

        /**
         * {@code CLICKHOUSE_PASSWORD}, else the content of the file named by {@code
         * CLICKHOUSE_PASSWORD_FILE} without trailing line ends, else empty. Both set is an error: a
         * silent precedence would hide a stale secret.
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
                // like a shell's $(cat file): editors and kubectl add line ends, passwords have
                // none
                return Files.readString(Path.of(file), StandardCharsets.UTF_8)
                        .replaceAll("[\r\n]+$", "");
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
