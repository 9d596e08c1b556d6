package io.depthflow.sources.model;

import java.util.Objects;

/**
 * One raw message as it came from an exchange, undecoded: a REST poll response (kind {@code
 * rest_book}), a WebSocket message (kind {@code ws}, payload verbatim), or an event of depthflow's
 * WebSocket connection (kind {@code ws_event}, see {@code ConnectionEvent}). Sources emit these so
 * that nothing is lost before parsing; the parse step turns them into {@link OrderBookSnapshot}s or
 * {@link IngestError}s.
 *
 * <p>The fields mirror one line of a capture file (see {@code CaptureFormat}). A poll that failed
 * before any response arrived (timeout, connection refused) is still emitted, with {@link #error}
 * set and {@link #payload} empty, so that the failure is recorded and event time keeps moving.
 *
 * <p>Flink POJO; the field set is part of the savepoint format: add or remove fields, never change
 * a type.
 */
public class RawMessage {

    public static final String KIND_REST_BOOK = "rest_book";
    public static final String KIND_WS = "ws";

    /** A connection event of depthflow's WebSocket client (connected, disconnected, stale). */
    public static final String KIND_WS_EVENT = "ws_event";

    /** {@code coinbase} or {@code kraken}. */
    public String exchange;

    /**
     * Canonical market, {@code BTC/USD}; empty for a connection-level WebSocket message (heartbeat,
     * subscriptions list, pong, connection event).
     */
    public String market;

    /** {@link #KIND_REST_BOOK}, {@link #KIND_WS} or {@link #KIND_WS_EVENT}. */
    public String kind;

    /** When the response was received, UTC epoch milliseconds; the event time of poll mode. */
    public long receivedAt;

    /** HTTP status of a REST response; 0 when there was none (transport failure, WebSocket). */
    public int httpStatus;

    /** The response body verbatim; empty when none arrived. */
    public String payload;

    /** Transport-level failure (timeout, connection refused, ...); null when a response arrived. */
    public String error;

    public RawMessage() {}

    public RawMessage(
            String exchange,
            String market,
            String kind,
            long receivedAt,
            int httpStatus,
            String payload,
            String error) {
        this.exchange = exchange;
        this.market = market;
        this.kind = kind;
        this.receivedAt = receivedAt;
        this.httpStatus = httpStatus;
        this.payload = payload;
        this.error = error;
    }

    /** A REST response that arrived (any status). */
    public static RawMessage restResponse(
            String exchange, String market, long receivedAt, int httpStatus, String body) {
        return new RawMessage(
                exchange,
                market,
                KIND_REST_BOOK,
                receivedAt,
                httpStatus,
                body == null ? "" : body,
                null);
    }

    /** A REST poll that got no response at all. */
    public static RawMessage restFailure(
            String exchange, String market, long receivedAt, String error) {
        return new RawMessage(exchange, market, KIND_REST_BOOK, receivedAt, 0, "", error);
    }

    /** A message received on a WebSocket, verbatim. */
    public static RawMessage wsMessage(
            String exchange, String market, long receivedAt, String payload) {
        return new RawMessage(exchange, market, KIND_WS, receivedAt, 0, payload, null);
    }

    public boolean hasResponse() {
        return error == null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RawMessage)) {
            return false;
        }
        RawMessage that = (RawMessage) o;
        return receivedAt == that.receivedAt
                && httpStatus == that.httpStatus
                && Objects.equals(exchange, that.exchange)
                && Objects.equals(market, that.market)
                && Objects.equals(kind, that.kind)
                && Objects.equals(payload, that.payload)
                && Objects.equals(error, that.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(exchange, market, kind, receivedAt, httpStatus, payload, error);
    }

    @Override
    public String toString() {
        return "RawMessage{"
                + exchange
                + ' '
                + market
                + ' '
                + kind
                + " at="
                + receivedAt
                + " status="
                + httpStatus
                + (error != null ? " error=" + error : "")
                + " payload="
                + (payload == null ? 0 : payload.length())
                + "B}";
    }
}
