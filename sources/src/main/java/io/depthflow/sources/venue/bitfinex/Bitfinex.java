package io.depthflow.sources.venue.bitfinex;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import java.net.URI;
import java.util.List;

/**
 * Bitfinex's public REST book and WebSocket v2 book protocol, as depthflow uses them (README in
 * this package: the documents and client code followed).
 *
 * <ul>
 *   <li>REST: {@code GET https://api-pub.bitfinex.com/v2/book/tBTCUSD/P0?len=100}. P0 is the most
 *       precise aggregated book (levels at the pair's full price precision); {@code len} is 1, 25
 *       or 100 levels per side, so 100 ({@link #REST_LEN}) is the deepest REST view.
 *   <li>WebSocket: {@code wss://api-pub.bitfinex.com/ws/2}. On open send {@link #conf()} (flags
 *       {@link #FLAG_SEQ_ALL} + {@link #FLAG_OB_CHECKSUM}: every array message then ends with the
 *       connection's sequence number, and every book update is followed by a {@code cs} message
 *       with the checksum of the top 25 levels), then one {@link #subscribe} per market: channel
 *       {@code book}, {@code prec} P0, {@code freq} F0 (real time), {@code len} 250 ({@link
 *       #WS_LEN}, the deepest view the channel offers: 1, 25, 100 or 250).
 *   <li>Resync of one book (checksum mismatch): {@link #unsubscribe} its channel and {@link
 *       #subscribe} again; the book is unusable until the new snapshot. A sequence gap, an info
 *       {@value #INFO_RECONNECT} or a stale connection: reconnect, every book from a new snapshot.
 *       Info {@value #INFO_MAINTENANCE} pauses (books unusable), {@value #INFO_MAINTENANCE_END}
 *       resubscribes every channel, as the docs advise.
 *   <li>Liveness: the server sends {@code [CHAN_ID,"hb",SEQ]} on a channel idle for 15 s; the
 *       client may send {@link #ping} ({@code {"event":"pong","ts":..,"cid":..}} answers).
 * </ul>
 */
@PublicEvolving
public final class Bitfinex {

    /**
     * The venue's name in every model class, the ClickHouse {@code exchange} column and captures.
     */
    public static final String NAME = "bitfinex";

    public static final String REST_URL = "https://api-pub.bitfinex.com";
    public static final String WS_URL = "wss://api-pub.bitfinex.com/ws/2";

    /** conf flag: every array message ends with a per-connection sequence number. */
    public static final int FLAG_SEQ_ALL = 65_536;

    /** conf flag: a {@code cs} checksum message after every book update. */
    public static final int FLAG_OB_CHECKSUM = 131_072;

    public static final int REST_LEN = 100;
    public static final List<Integer> REST_LENS = List.of(1, 25, 100);
    public static final int WS_LEN = 250;
    public static final List<Integer> WS_LENS = List.of(1, 25, 100, 250);

    /** Info code: the server stops or restarts; reconnect. */
    public static final int INFO_RECONNECT = 20051;

    /** Info code: maintenance begins; pause until {@link #INFO_MAINTENANCE_END}. */
    public static final int INFO_MAINTENANCE = 20060;

    /** Info code: maintenance ended; unsubscribe and subscribe every channel again. */
    public static final int INFO_MAINTENANCE_END = 20061;

    /** Seconds of channel silence after which the server sends a heartbeat. */
    public static final int HEARTBEAT_SECONDS = 15;

    private Bitfinex() {}

    /** {@code {base}/v2/book/tBTCUSD/P0?len=100}. */
    public static URI bookUri(String baseUrl, String market, int len) {
        Preconditions.checkArgument(
                REST_LENS.contains(len),
                "Bitfinex REST len must be one of %s, got %s",
                REST_LENS,
                len);
        return URI.create(
                baseUrl + "/v2/book/" + BitfinexSymbols.symbol(market) + "/P0?len=" + len);
    }

    /** {@code {"event":"conf","flags":196608}}: sequence numbers and book checksums. */
    public static String conf() {
        return "{\"event\":\"conf\",\"flags\":" + (FLAG_SEQ_ALL + FLAG_OB_CHECKSUM) + "}";
    }

    /**
     * {@code
     * {"event":"subscribe","channel":"book","symbol":"tBTCUSD","prec":"P0","freq":"F0","len":"250"}}.
     */
    public static String subscribe(String market, int len) {
        Preconditions.checkArgument(
                WS_LENS.contains(len), "Bitfinex book len must be one of %s, got %s", WS_LENS, len);
        return "{\"event\":\"subscribe\",\"channel\":\"book\",\"symbol\":\""
                + BitfinexSymbols.symbol(market)
                + "\",\"prec\":\"P0\",\"freq\":\"F0\",\"len\":\""
                + len
                + "\"}";
    }

    /** {@code {"event":"unsubscribe","chanId":N}}. */
    public static String unsubscribe(long chanId) {
        return "{\"event\":\"unsubscribe\",\"chanId\":" + chanId + "}";
    }

    /** {@code {"event":"ping","cid":N}}. */
    public static String ping(long cid) {
        return "{\"event\":\"ping\",\"cid\":" + cid + "}";
    }
}
