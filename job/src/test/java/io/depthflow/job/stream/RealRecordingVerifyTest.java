package io.depthflow.job.stream;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.venue.RecordedFeed;
import io.depthflow.sources.venue.StreamDecoder;
import io.depthflow.sources.venue.Venues;
import io.depthflow.sources.ws.ConnectionEvent;
import io.depthflow.sources.ws.StreamMessage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code verify}'s book code on the real recordings of Gemini and Bitfinex (cryptofeed's, in the
 * sources test fixtures), turned into capture records the way the WebSocket source writes them (one
 * record per market a message names, market empty for connection-level messages).
 */
class RealRecordingVerifyTest {

    private static final long START = 1_795_175_103_203L;

    private static StreamVerifier replay(String exchange, String path) throws Exception {
        StreamVerifier v = new StreamVerifier();
        StreamDecoder decoder = Venues.get(exchange).stream().newDecoder();
        StreamMessage m = new StreamMessage();
        long at = START;
        v.accept(ConnectionEvent.CONNECTED.toRawMessage(exchange, at, "wss://recorded"));
        for (String payload : RecordedFeed.received(path)) {
            at++;
            decoder.decode(payload, null, m);
            List<String> markets = m.markets.isEmpty() ? List.of("") : List.copyOf(m.markets);
            for (String market : markets) {
                v.accept(RawMessage.wsMessage(exchange, market, at, payload));
            }
        }
        return v;
    }

    /**
     * Six real books, 282 book messages: every book is built and stays good (no check can fail).
     */
    @Test
    void shouldBuildEveryRealGeminiBook() throws Exception {
        StreamVerifier v = replay("gemini", "gemini/gemini-ws.txt");
        assertThat(v.failed()).as(v.toJson()).isFalse();
        for (String market :
                List.of("BTC/GBP", "ETH/EUR", "BAT/BTC", "LINK/ETH", "LTC/ETH", "ZEC/LTC")) {
            assertThat(v.book("gemini", market).isSynced()).as(market).isTrue();
        }
        assertThat(v.book("gemini", "BTC/GBP").book().bidCount()).isPositive();
    }

    /**
     * The real Bitfinex recording keeps two of its symbols only, so its sequence numbers have holes
     * where the other symbols' messages were: verify must report them as gaps and stop trusting the
     * books (this recording had no checksums on).
     */
    @Test
    void shouldReportTheHolesInTheRealBitfinexSequenceAsGaps() throws Exception {
        StreamVerifier v = replay("bitfinex", "bitfinex/bitfinex-ws.txt");
        assertThat(v.failed()).isTrue();
        // 111 holes, as the recording's README counts them; every update after the first hole is
        // ignored, since no new snapshot came in the 30 s recorded.
        assertThat(v.sequenceGaps()).as(v.toJson()).isEqualTo(111);
        assertThat(v.toJson()).contains("\"ignored_updates\":1104");
        assertThat(v.book("bitfinex", "IOT/ETH").status().wireName())
                .isEqualTo(IngestError.SEQUENCE_GAP);
        // The subscribe ack's len 100 set the book's depth.
        assertThat(v.book("bitfinex", "MNA/BTC").depth()).isEqualTo(100);
        assertThat(v.errorsByType()).containsKey(IngestError.SEQUENCE_GAP);
        assertThat(v.checksumFailed()).isZero();
        assertThat(v.errorsByType()).doesNotContainKey(IngestError.MALFORMED);
    }
}
