package io.depthflow.sources.venue.kraken;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.simulator.WireText;

/** Kraken v2 control messages of the simulated feed, shaped like the documented examples. */
@Internal
public final class KrakenFeedMessages {

    private KrakenFeedMessages() {}

    /** Sent once on connect. */
    public static String status(long connectionId) {
        return "{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"api_version\":\"v2\",\"connection_id\":"
                + connectionId
                + ",\"system\":\"online\",\"version\":\"2.0.0\"}]}";
    }

    public static String heartbeat() {
        return "{\"channel\":\"heartbeat\"}";
    }

    /** The per-symbol acknowledgement of a book subscribe or unsubscribe. */
    public static String ack(String method, String symbol, int depth, long nowMs, Long reqId) {
        String time = WireText.micros(nowMs);
        return "{\"method\":\""
                + method
                + "\",\"result\":{\"channel\":\"book\",\"depth\":"
                + depth
                + ("subscribe".equals(method) ? ",\"snapshot\":true" : "")
                + ",\"symbol\":\""
                + symbol
                + "\"},\"success\":true,\"time_in\":\""
                + time
                + "\",\"time_out\":\""
                + time
                + "\""
                + (reqId == null ? "" : ",\"req_id\":" + reqId)
                + "}";
    }

    /** A failed request, e.g. an unknown symbol. */
    public static String error(String method, String symbol, String error, long nowMs, Long reqId) {
        String time = WireText.micros(nowMs);
        return "{\"error\":\""
                + error.replace("\"", "'")
                + "\",\"method\":\""
                + method
                + "\",\"success\":false"
                + (symbol == null ? "" : ",\"symbol\":\"" + symbol + "\"")
                + ",\"time_in\":\""
                + time
                + "\",\"time_out\":\""
                + time
                + "\""
                + (reqId == null ? "" : ",\"req_id\":" + reqId)
                + "}";
    }

    public static String pong(Long reqId, long nowMs) {
        String time = WireText.micros(nowMs);
        return "{\"method\":\"pong\""
                + (reqId == null ? "" : ",\"req_id\":" + reqId)
                + ",\"time_in\":\""
                + time
                + "\",\"time_out\":\""
                + time
                + "\"}";
    }

    /**
     * The same update with a checksum that cannot match (the simulator's corrupt_checksum fault).
     */
    public static String withWrongChecksum(String update) {
        int at = update.indexOf("\"checksum\":") + "\"checksum\":".length();
        int end = at;
        while (Character.isDigit(update.charAt(end))) {
            end++;
        }
        long wrong = (Long.parseLong(update.substring(at, end)) + 1) & 0xFFFF_FFFFL;
        return update.substring(0, at) + wrong + update.substring(end);
    }
}
