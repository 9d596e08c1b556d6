package io.depthflow.sources.venue.bitfinex;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.rest.RateLimit;
import io.depthflow.sources.venue.AbstractVenue;
import io.depthflow.sources.venue.BookChecksum;
import io.depthflow.sources.venue.ConnectionSequence;
import io.depthflow.sources.venue.Integrity;
import io.depthflow.sources.venue.StreamDecoder;
import io.depthflow.sources.ws.StreamMessage;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Bitfinex: REST {@code GET /v2/book/tBTCUSD/P0?len=100} ({@link BitfinexBookParser}) and the
 * WebSocket v2 {@code book} channel, P0, with the conf flags {@code SEQ_ALL} and {@code
 * OB_CHECKSUM} on ({@link BitfinexWsParser}): a sequence gap restarts the connection, a checksum
 * mismatch ({@link BitfinexChecksum}, top 25 levels) unsubscribes and subscribes the market again.
 * Info 20051 and 20061 reconnect ({@link StreamMessage.Type#RECONNECT}); see {@link Bitfinex} and
 * this package's README.
 */
@PublicEvolving
public final class BitfinexVenue extends AbstractVenue {

    public static final String NAME = Bitfinex.NAME;

    /**
     * Bitfinex, "$0.00 or more traded", taker 0.200 % (maker 0.100 %),
     * https://www.bitfinex.com/fees (undated). Looked up 2026-12-06.
     */
    static final String TAKER_FEE_BPS = "20";

    /** The book endpoint's documented limit is 30 requests a minute: 0.5/s, burst 1. */
    static final RateLimit RATE_LIMIT = new RateLimit(0.5, 1);

    /** Declared after the constants its constructor reads. */
    public static final BitfinexVenue INSTANCE = new BitfinexVenue();

    private BitfinexVenue() {
        super(
                NAME,
                TAKER_FEE_BPS,
                Bitfinex.REST_URL,
                RATE_LIMIT,
                Bitfinex.WS_URL,
                Integrity.SEQUENCE_AND_CHECKSUM,
                new BitfinexRestDialect(),
                new BitfinexStreamDialect());
    }

    // ---- REST ------------------------------------------------------------------------------

    /**
     * {@code {base}/v2/book/tBTCUSD/P0?len=100}: always the deepest REST view, whatever {@code
     * depthCount}.
     */
    @Override
    public URI bookUri(String baseUrl, String market, int depthCount) {
        return Bitfinex.bookUri(baseUrl, market, Bitfinex.REST_LEN);
    }

    @Override
    public OrderBookSnapshot parse(RawMessage raw) throws BookParseException {
        return BitfinexBookParser.parse(raw);
    }

    // ---- WebSocket --------------------------------------------------------------------------

    @Override
    public List<Integer> depths() {
        return Bitfinex.WS_LENS;
    }

    @Override
    public int defaultDepth() {
        return Bitfinex.WS_LEN;
    }

    @Override
    public int bookDepth() {
        return DEPTH_FROM_ACK;
    }

    /** conf (sequence numbers and checksums), then one book subscription per market. */
    @Override
    public List<String> subscribe(List<String> markets, int depth) {
        List<String> messages = new ArrayList<>();
        messages.add(Bitfinex.conf());
        for (String market : markets) {
            messages.add(Bitfinex.subscribe(market, depth));
        }
        return messages;
    }

    /**
     * Unsubscribe the market's channel and subscribe again: the new channel starts with a snapshot.
     * Empty (the connection restarts) when the decoder has not seen the channel.
     */
    @Override
    public List<String> resubscribe(String market, int depth, StreamDecoder decoder) {
        long chanId =
                decoder instanceof Decoder ? ((Decoder) decoder).parser.channelOf(market) : -1;
        if (chanId < 0) {
            return List.of();
        }
        return List.of(Bitfinex.unsubscribe(chanId), Bitfinex.subscribe(market, depth));
    }

    @Override
    public String ping(long id) {
        return Bitfinex.ping(id);
    }

    @Override
    public StreamDecoder newDecoder() {
        return new Decoder();
    }

    @Override
    public ConnectionSequence newSequence() {
        return new BitfinexSequence();
    }

    @Override
    public long peekSequence(String payload) {
        return BitfinexWsParser.peekSequence(payload);
    }

    @Override
    public BookChecksum newChecksum() {
        return new BitfinexChecksum();
    }

    /**
     * The connection's parser as a {@link StreamDecoder}: info 20051 (server restart) and 20061
     * (maintenance ended: "It is advised to unsubscribe/subscribe again all channels") become
     * {@link StreamMessage.Type#RECONNECT}, which gives every channel a fresh subscription and
     * snapshot; 20060 (maintenance begins) stays {@code OTHER}: the docs ask to pause, and the book
     * does not move meanwhile.
     */
    static final class Decoder implements StreamDecoder {
        final BitfinexWsParser parser = new BitfinexWsParser();

        @Override
        public void decode(String payload, String market, StreamMessage into)
                throws BookParseException {
            BitfinexWsParser.Kind kind = parser.parse(payload, market, into);
            if (kind == BitfinexWsParser.Kind.RECONNECT
                    || kind == BitfinexWsParser.Kind.MAINTENANCE_END) {
                into.type = StreamMessage.Type.RECONNECT;
            }
        }
    }
}
