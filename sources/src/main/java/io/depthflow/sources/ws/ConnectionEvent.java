package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.depthflow.sources.model.RawMessage;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * What happened to a WebSocket connection, as seen by depthflow's client: a {@link RawMessage} of
 * kind {@link RawMessage#KIND_WS_EVENT} whose payload is {@code {"event":"disconnected",
 * "detail":"..."}}. These are not exchange messages; they are recorded next to them (in captures
 * and the bronze table) because they cannot be re-derived: after {@link #DISCONNECTED} or {@link
 * #STALE} no book of that connection is known-good until its next snapshot, and {@link #CONNECTED}
 * starts a new Coinbase sequence. Gaps and checksum failures are not recorded as events: they are
 * re-derived from the messages wherever the stream is replayed.
 */
@PublicEvolving
public enum ConnectionEvent {
    /** A connection opened (subscriptions follow); market empty. */
    CONNECTED,
    /** The connection closed or failed unexpectedly; market empty. */
    DISCONNECTED,
    /**
     * Nothing arrived within the liveness deadline; the client closes and reconnects; market empty.
     */
    STALE;

    private static final JsonFactory JSON = new JsonFactory();

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The event as a raw message of {@code exchange} at {@code at} (market empty). */
    public RawMessage toRawMessage(String exchange, long at, String detail) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("event", wireName());
            g.writeStringField("detail", detail == null ? "" : detail);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RawMessage(exchange, "", RawMessage.KIND_WS_EVENT, at, 0, w.toString(), null);
    }

    /** The event of a {@link RawMessage#KIND_WS_EVENT} payload, or null when it names none. */
    public static ConnectionEvent of(String payload) {
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if ("event".equals(field) && v == JsonToken.VALUE_STRING) {
                    for (ConnectionEvent e : values()) {
                        if (e.wireName().equals(p.getText())) {
                            return e;
                        }
                    }
                    return null;
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
