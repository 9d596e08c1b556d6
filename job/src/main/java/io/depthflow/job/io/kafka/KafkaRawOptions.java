package io.depthflow.job.io.kafka;

import org.apache.flink.connector.base.DeliveryGuarantee;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Where the Kafka raw log lives and how it is written and read; validated once, immutable.
 *
 * <pre>{@code
 * KafkaRawOptions o = KafkaRawOptions.builder()
 *         .bootstrapServers("127.0.0.1:9092")
 *         .topic("depthflow.raw")                  // default
 *         .delivery("exactly-once")                // default; or "at-least-once"
 *         .start("2026-11-20T11:45:00Z")           // reading: earliest (default), latest or an instant
 *         .bounded(true)                           // reading: stop at the end present at start
 *         .build();
 * }</pre>
 *
 * <p>Builder setters throw {@link IllegalArgumentException} with a message naming the accepted
 * values; the CLI turns it into its one-line usage error.
 */
public final class KafkaRawOptions {

    public static final String DEFAULT_TOPIC = "depthflow.raw";
    public static final String DEFAULT_GROUP_ID = "depthflow";

    /** Where a reading job starts in each partition. */
    public enum Start {
        EARLIEST,
        LATEST,
        /** The first record whose timestamp (= received_at) is at or after {@link #startAt()}. */
        TIMESTAMP
    }

    private static final Pattern HOST_PORT = Pattern.compile("[^\\s,:]+:\\d{1,5}");
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String bootstrapServers;
    private final String topic;
    private final DeliveryGuarantee delivery;
    private final String transactionalIdPrefix;
    private final Start start;
    private final Instant startAt;
    private final String groupId;
    private final boolean bounded;

    private KafkaRawOptions(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.topic = b.topic;
        this.delivery = b.delivery;
        this.transactionalIdPrefix =
                b.transactionalIdPrefix != null ? b.transactionalIdPrefix : "depthflow-" + b.topic;
        this.start = b.start;
        this.startAt = b.startAt;
        this.groupId = b.groupId;
        this.bounded = b.bounded;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port[,host:port...]}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String topic() {
        return topic;
    }

    /**
     * {@link DeliveryGuarantee#EXACTLY_ONCE} (default) or {@link DeliveryGuarantee#AT_LEAST_ONCE}.
     */
    public DeliveryGuarantee delivery() {
        return delivery;
    }

    /** Exactly-once writing: the prefix of the sink's transactional ids, unique per writing job. */
    public String transactionalIdPrefix() {
        return transactionalIdPrefix;
    }

    public Start start() {
        return start;
    }

    /** The start instant when {@link #start()} is {@link Start#TIMESTAMP}, else null. */
    public Instant startAt() {
        return startAt;
    }

    /** Reading: the consumer group the source commits its offsets to (for monitoring lag). */
    public String groupId() {
        return groupId;
    }

    /** Reading: stop at the last committed offsets present when the job starts. */
    public boolean bounded() {
        return bounded;
    }

    @Override
    public String toString() {
        return "KafkaRawOptions{"
                + bootstrapServers
                + " topic="
                + topic
                + " delivery="
                + delivery
                + " start="
                + (start == Start.TIMESTAMP ? startAt : start)
                + " groupId="
                + groupId
                + " bounded="
                + bounded
                + "}";
    }

    /** Builds {@link KafkaRawOptions}; only the bootstrap servers are required. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic = DEFAULT_TOPIC;
        private DeliveryGuarantee delivery = DeliveryGuarantee.EXACTLY_ONCE;
        private String transactionalIdPrefix;
        private Start start = Start.EARLIEST;
        private Instant startAt;
        private String groupId = DEFAULT_GROUP_ID;
        private boolean bounded;

        private Builder() {}

        public Builder bootstrapServers(String servers) {
            checkNotNull(servers, "servers");
            for (String server : servers.split(",", -1)) {
                checkArgument(
                        HOST_PORT.matcher(server.trim()).matches(),
                        "the Kafka bootstrap servers must be HOST:PORT[,HOST:PORT...], got '%s'",
                        servers);
            }
            this.bootstrapServers = servers.replace(" ", "");
            return this;
        }

        public Builder topic(String topic) {
            checkNotNull(topic, "topic");
            checkArgument(
                    TOPIC.matcher(topic).matches() && !topic.equals(".") && !topic.equals(".."),
                    "a Kafka topic name has 1 to 249 characters from a-z A-Z 0-9 . _ -, got '%s'",
                    topic);
            this.topic = topic;
            return this;
        }

        /** {@code exactly-once} or {@code at-least-once}. */
        public Builder delivery(String delivery) {
            checkNotNull(delivery, "delivery");
            switch (delivery.toLowerCase(Locale.ROOT)) {
                case "exactly-once":
                    this.delivery = DeliveryGuarantee.EXACTLY_ONCE;
                    break;
                case "at-least-once":
                    this.delivery = DeliveryGuarantee.AT_LEAST_ONCE;
                    break;
                default:
                    throw new IllegalArgumentException(
                            "the Kafka delivery guarantee is exactly-once or at-least-once, got '"
                                    + delivery
                                    + "'");
            }
            return this;
        }

        public Builder transactionalIdPrefix(String prefix) {
            checkNotNull(prefix, "prefix");
            checkArgument(!prefix.isBlank(), "the transactional id prefix must not be blank");
            this.transactionalIdPrefix = prefix;
            return this;
        }

        /**
         * {@code earliest}, {@code latest} or an ISO-8601 instant ({@code 2026-11-20T11:45:00Z}, or
         * with an offset).
         */
        public Builder start(String start) {
            checkNotNull(start, "start");
            switch (start.toLowerCase(Locale.ROOT)) {
                case "earliest":
                    this.start = Start.EARLIEST;
                    this.startAt = null;
                    return this;
                case "latest":
                    this.start = Start.LATEST;
                    this.startAt = null;
                    return this;
                default:
                    this.start = Start.TIMESTAMP;
                    this.startAt = parseInstant(start);
                    return this;
            }
        }

        public Builder groupId(String groupId) {
            checkNotNull(groupId, "groupId");
            checkArgument(!groupId.isBlank(), "the consumer group id must not be blank");
            this.groupId = groupId;
            return this;
        }

        public Builder bounded(boolean bounded) {
            this.bounded = bounded;
            return this;
        }

        public KafkaRawOptions build() {
            checkArgument(bootstrapServers != null, "the Kafka bootstrap servers are required");
            return new KafkaRawOptions(this);
        }

        private static Instant parseInstant(String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException notUtc) {
                try {
                    return OffsetDateTime.parse(text).toInstant();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(
                            "the Kafka start is earliest, latest or an ISO-8601 timestamp like 2026-11-20T11:45:00Z, got '"
                                    + text
                                    + "'");
                }
            }
        }
    }
}
