package io.depthflow.sources.model;

import java.util.Objects;

/**
 * A message that could not be turned into a usable book, with the reason and the raw payload, so
 * that nothing is lost. Lands in the ClickHouse table {@code ingest_errors}.
 */
public class IngestError {

    /** No response: timeout, connection refused, TLS failure. */
    public static final String TRANSPORT = "transport";

    /** A response with a non-2xx HTTP status. */
    public static final String HTTP = "http_status";

    /**
     * The exchange said the request failed (Kraken {@code error} array, Coinbase {@code message}).
     */
    public static final String EXCHANGE = "exchange_error";

    /** The payload is not the documented JSON shape, or a number is not an exact decimal. */
    public static final String MALFORMED = "malformed";

    /** A side of the book has no levels. */
    public static final String EMPTY_BOOK = "empty_book";

    /** Best bid at or above best ask. */
    public static final String CROSSED_BOOK = "crossed_book";

    /** The event arrived after its window had been emitted (event time behind the watermark). */
    public static final String LATE = "late";

    /**
     * A Kraken book message whose checksum does not match the book it leaves: the book is dropped.
     */
    public static final String CHECKSUM_MISMATCH = "checksum_mismatch";

    /** Coinbase sequence numbers show lost messages: the connection's books are dropped. */
    public static final String SEQUENCE_GAP = "sequence_gap";

    /** A WebSocket connection closed or failed unexpectedly: its books are dropped. */
    public static final String DISCONNECTED = "disconnected";

    /** Nothing arrived on a WebSocket within the liveness deadline: its books are dropped. */
    public static final String STALE_FEED = "stale_feed";

    /**
     * A capture line or raw-log record whose received_at is before 2009-01-03 or after the time of
     * reading (plus a small tolerance): no event time can be taken from it.
     */
    public static final String TIME_OUT_OF_RANGE = "time_out_of_range";

    /**
     * A capture line or raw-log record whose received_at lies more than the jump bound beyond every
     * time seen before it in its file or partition: taken as data, it would move event time forward
     * and make the lines after it late.
     */
    public static final String TIME_JUMP = "time_jump";

    /**
     * No snapshot of a book for one or more minutes: every poll failed, or the job was not running.
     */
    public static final String GAP = "gap";

    public String exchange;
    public String market;
    public long receivedAt;
    public String errorType;
    public String message;
    public String payload;

    /**
     * Where an unusable line was read: {@code capture.jsonl:17} (file and line) or {@code
     * depthflow.raw-3@1234} (Kafka topic-partition and offset); empty for everything else. Part of
     * the row's key, so that two bad lines are two rows.
     */
    public String source = "";

    public IngestError() {}

    public IngestError(
            String exchange,
            String market,
            long receivedAt,
            String errorType,
            String message,
            String payload) {
        this.exchange = exchange;
        this.market = market;
        this.receivedAt = receivedAt;
        this.errorType = errorType;
        this.message = message;
        this.payload = payload == null ? "" : payload;
    }

    public static IngestError of(RawMessage raw, String errorType, String message) {
        return new IngestError(
                raw.exchange, raw.market, raw.receivedAt, errorType, message, raw.payload);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof IngestError)) {
            return false;
        }
        IngestError that = (IngestError) o;
        return receivedAt == that.receivedAt
                && Objects.equals(source, that.source)
                && Objects.equals(exchange, that.exchange)
                && Objects.equals(market, that.market)
                && Objects.equals(errorType, that.errorType)
                && Objects.equals(message, that.message)
                && Objects.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(exchange, market, receivedAt, errorType, message, payload, source);
    }

    @Override
    public String toString() {
        return "IngestError{"
                + exchange
                + ' '
                + market
                + " at="
                + receivedAt
                + ' '
                + errorType
                + (source == null || source.isEmpty() ? "" : " in " + source)
                + ": "
                + message
                + '}';
    }
}
