package io.depthflow.sources.venue.gemini;

import org.apache.flink.annotation.PublicEvolving;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Gemini's public REST book and WebSocket market data v2, as depthflow uses them (README in this
 * package: the documents and client code followed).
 *
 * <ul>
 *   <li>REST: {@code GET https://api.gemini.com/v1/book/btcusd?limit_bids=0&limit_asks=0}: the
 *       whole aggregated book ("May be 0 to return the full order book on this side"; the default
 *       is 50 levels). Levels are objects of decimal strings.
 *   <li>WebSocket: {@code wss://api.gemini.com/v2/marketdata}, one {@link #subscribe} of the {@code
 *       l2} feed for all markets. The first {@code l2_updates} of a symbol is its whole book (with
 *       its last trades); later ones carry changed levels, quantity = the level's new total, {@code
 *       "0"} removes it. A {@code heartbeat} comes every 5 s ({@link #HEARTBEAT_SECONDS}, seen in
 *       the real recording).
 *   <li>Integrity: v2 has <b>no sequence number and no checksum</b>, and no subscription ack. A
 *       lost message cannot be detected from the data: a removal of an absent level is normal on
 *       this feed (25 of the recording's 276 later messages do it), so it proves nothing. What the
 *       protocol offers is liveness (heartbeats; silence means a dead feed) and a fresh whole book
 *       on every subscription. So depthflow checks what can be checked — the book stays uncrossed
 *       after every message — and resyncs a crossed book by {@link #unsubscribe} and {@link
 *       #subscribe} (the next message with {@code trades} is the new book); a stale or broken
 *       connection reconnects. (The older v1 feed, one connection per symbol, has {@code
 *       socket_sequence}; the issue asks for v2.)
 * </ul>
 */
@PublicEvolving
public final class Gemini {

    /**
     * The venue's name in every model class, the ClickHouse {@code exchange} column and captures.
     */
    public static final String NAME = "gemini";

    public static final String REST_URL = "https://api.gemini.com";
    public static final String WS_URL = "wss://api.gemini.com/v2/marketdata";

    /** Heartbeat period of the v2 feed (the recording shows one every 5 s). */
    public static final int HEARTBEAT_SECONDS = 5;

    private Gemini() {}

    /** {@code {base}/v1/book/btcusd?limit_bids=0&limit_asks=0}: the whole book. */
    public static URI bookUri(String baseUrl, String market) {
        return URI.create(
                baseUrl
                        + "/v1/book/"
                        + GeminiSymbols.restSymbol(market)
                        + "?limit_bids=0&limit_asks=0");
    }

    /**
     * {@code {"type":"subscribe","subscriptions":[{"name":"l2","symbols":["BTCUSD","ETHUSD"]}]}}.
     */
    public static String subscribe(List<String> markets) {
        return request("subscribe", markets);
    }

    /** {@code {"type":"unsubscribe","subscriptions":[{"name":"l2","symbols":["BTCUSD"]}]}}. */
    public static String unsubscribe(List<String> markets) {
        return request("unsubscribe", markets);
    }

    private static String request(String type, List<String> markets) {
        String symbols =
                markets.stream()
                        .map(m -> '"' + GeminiSymbols.wsSymbol(m) + '"')
                        .collect(Collectors.joining(","));
        return "{\"type\":\""
                + type
                + "\",\"subscriptions\":[{\"name\":\"l2\",\"symbols\":["
                + symbols
                + "]}]}";
    }
}
