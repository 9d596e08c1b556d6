package io.depthflow.job.stream;

import io.depthflow.job.book.BookSync;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection tracker on hand-written Coinbase messages: one sequence check per WebSocket
 * message, however many products it names (the source hands it over once per product).
 */
class ConnectionTrackerTest {

    private static final long T = 1_795_175_130_000L;

    private final ConnectionTracker tracker = new ConnectionTracker();
    private final List<RawMessage> forwarded = new ArrayList<>();
    private final List<IngestError> errors = new ArrayList<>();

    private void send(RawMessage m) {
        tracker.onMessage(
                m,
                new ConnectionTracker.Output() {
                    @Override
                    public void forward(RawMessage message) {
                        forwarded.add(message);
                    }

                    @Override
                    public void error(IngestError error) {
                        errors.add(error);
                    }
                });
    }

    private static String event(String type, String product, String price, String size) {
        return "{\"type\":\""
                + type
                + "\",\"product_id\":\""
                + product
                + "\",\"updates\":["
                + "{\"side\":\"bid\",\"event_time\":\"2026-11-21T10:25:30Z\",\"price_level\":\""
                + price
                + "\",\"new_quantity\":\""
                + size
                + "\"},"
                + "{\"side\":\"offer\",\"event_time\":\"2026-11-21T10:25:30Z\",\"price_level\":\""
                + price
                + "9\",\"new_quantity\":\""
                + size
                + "\"}]}";
    }

    private static String message(long seq, String... events) {
        return "{\"channel\":\"l2_data\",\"client_id\":\"\",\"timestamp\":\"2026-11-21T10:25:30.000000000Z\",\"sequence_num\":"
                + seq
                + ",\"events\":["
                + String.join(",", events)
                + "]}";
    }

    /** What the source delivers: one copy of the message per product it names. */
    private void deliver(long at, String payload, String... markets) {
        for (String market : markets) {
            send(RawMessage.wsMessage("coinbase", market, at, payload));
        }
    }

    @Test
    void shouldUpdateEveryProductOfAMultiProductMessageAfterOneSequenceCheck() {
        deliver(
                T,
                message(
                        0,
                        event("snapshot", "BTC-USD", "100", "1"),
                        event("snapshot", "ETH-USD", "10", "1")),
                "BTC/USD",
                "ETH/USD");
        deliver(
                T + 1,
                message(
                        1,
                        event("update", "BTC-USD", "101", "2"),
                        event("update", "ETH-USD", "11", "3")),
                "BTC/USD",
                "ETH/USD");

        assertThat(errors).isEmpty();
        assertThat(tracker.outOfOrder()).isZero();
        assertThat(forwarded)
                .extracting(m -> m.market)
                .containsExactly("BTC/USD", "ETH/USD", "BTC/USD", "ETH/USD");

        // Both books hold both messages' levels.
        BookEventDecoder decoder = new BookEventDecoder();
        BookMessageHandler handler = new BookMessageHandler();
        BookSync btc = BookSync.forExchange("coinbase");
        BookSync eth = BookSync.forExchange("coinbase");
        for (RawMessage m : forwarded) {
            decoder.decode(
                    m,
                    Long.MIN_VALUE,
                    new BookEventDecoder.Output() {
                        @Override
                        public void event(io.depthflow.sources.ws.BookEvent event) {
                            handler.handle(
                                    event,
                                    event.market.equals("BTC/USD") ? btc : eth,
                                    e -> errors.add(e));
                        }

                        @Override
                        public void error(IngestError error) {
                            errors.add(error);
                        }
                    });
        }
        assertThat(errors).isEmpty();
        assertThat(btc.book().bestBid()).isEqualTo(101);
        assertThat(btc.book().bidCount()).isEqualTo(2);
        assertThat(eth.book().bestBid()).isEqualTo(11);
        assertThat(eth.book().bidSize(0)).isEqualTo(3);
    }

    @Test
    void shouldStillDropARepeatedMessageAndFlagAGapAfterAMultiProductMessage() {
        String both =
                message(
                        6,
                        event("update", "BTC-USD", "101", "2"),
                        event("update", "ETH-USD", "11", "3"));
        deliver(
                T,
                message(
                        5,
                        event("snapshot", "BTC-USD", "100", "1"),
                        event("snapshot", "ETH-USD", "10", "1")),
                "BTC/USD",
                "ETH/USD");
        deliver(T + 1, both, "BTC/USD", "ETH/USD");
        deliver(T + 2, both, "BTC/USD"); // the same message again: old
        send(
                RawMessage.wsMessage(
                        "coinbase",
                        "BTC/USD",
                        T + 3,
                        message(5, event("update", "BTC-USD", "99", "1")))); // older still
        assertThat(tracker.outOfOrder()).isEqualTo(2);
        assertThat(forwarded).hasSize(4);

        deliver(
                T + 4,
                message(
                        8,
                        event("update", "BTC-USD", "102", "1"),
                        event("update", "ETH-USD", "12", "1")),
                "BTC/USD",
                "ETH/USD");
        assertThat(errors).extracting(e -> e.errorType).containsExactly(IngestError.SEQUENCE_GAP);
        // one gap for the message (not one per copy); both books reset, then the message's copies
        // go on
        assertThat(tracker.gaps()).isEqualTo(1);
        assertThat(forwarded.subList(4, forwarded.size()))
                .extracting(m -> m.kind + " " + m.market)
                .containsExactly(
                        "book_reset BTC/USD", "book_reset ETH/USD", "ws BTC/USD", "ws ETH/USD");
    }
}
