package io.depthflow.sources.venue.gemini;

import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.testing.Fixtures;
import io.depthflow.sources.venue.RandomSimBook;
import io.depthflow.sources.venue.TreeBook;
import io.depthflow.sources.ws.StreamMessage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's Gemini dialect, read back by the client's parser. */
class GeminiFeedSessionTest {

    private final RandomSimBook book = new RandomSimBook(300_000, 200, 2, 8, 11);
    private final GeminiFeedSession session =
            new GeminiFeedSession(m -> "ETH/USD".equals(m) ? book : null);
    private final GeminiWsParser parser = new GeminiWsParser();
    private final StreamMessage m = new StreamMessage();
    private final TreeBook client = new TreeBook(0);

    @Test
    void shouldKeepTheClientsWholeBookEqualToTheVenuesThroughEveryStep() throws BookParseException {
        List<String> replies = session.onText(Gemini.subscribe(List.of("ETH/USD")));
        assertThat(replies).hasSize(1);
        receive(replies.get(0));
        assertThat(m.type).isEqualTo(StreamMessage.Type.BOOK_SNAPSHOT);
        assertThat(text(client.bids)).isEqualTo(text(book.bids()));
        for (int step = 0; step < 500; step++) {
            book.step(3);
            String update = session.onStep("ETH/USD");
            if (update != null) {
                receive(update);
                assertThat(m.type).isEqualTo(StreamMessage.Type.BOOK_UPDATE);
            }
            assertThat(text(client.bids)).isEqualTo(text(book.bids()));
            assertThat(text(client.asks)).isEqualTo(text(book.asks()));
            assertThat(client.isCrossed()).isFalse();
        }
        receive(session.heartbeat(1_795_175_103_203L));
        assertThat(m.type).isEqualTo(StreamMessage.Type.HEARTBEAT);
    }

    /** Nothing in the protocol shows a lost update: the client's book silently differs. */
    @Test
    void shouldLetADroppedUpdateGoUnseenButLeaveTheBookDifferent() throws BookParseException {
        receive(session.onText(Gemini.subscribe(List.of("ETH/USD"))).get(0));
        session.dropNextUpdate("ETH/USD");
        String update;
        do {
            book.step(1);
            update = session.onStep("ETH/USD");
        } while (book.changeCount() == 0);
        assertThat(update).isNull();
        book.step(0);
        assertThat(
                        text(client.bids).equals(text(book.bids()))
                                && text(client.asks).equals(text(book.asks())))
                .isFalse();
        // A new subscription brings the whole book again.
        session.onText(Gemini.unsubscribe(List.of("ETH/USD")));
        receive(session.onText(Gemini.subscribe(List.of("ETH/USD"))).get(0));
        assertThat(m.type).isEqualTo(StreamMessage.Type.BOOK_SNAPSHOT);
        assertThat(text(client.bids)).isEqualTo(text(book.bids()));
        assertThat(text(client.asks)).isEqualTo(text(book.asks()));
    }

    @Test
    void shouldAnswerUnknownSymbolsAndServeTheWholeRestBook() throws BookParseException {
        assertThat(session.onText(Gemini.subscribe(List.of("BTC/USD"))))
                .containsExactly(
                        "{\"result\":\"error\",\"reason\":\"InvalidSymbol\",\"message\":\"Supplied value 'BTCUSD' is not a valid symbol\"}");
        OrderBookSnapshot rest =
                GeminiBookParser.parse(
                        Fixtures.response(
                                Gemini.NAME,
                                "ETH/USD",
                                GeminiWire.restBook(
                                        book.bids().keySet().stream()
                                                .mapToLong(Long::longValue)
                                                .toArray(),
                                        book.bids().values().stream()
                                                .mapToLong(Long::longValue)
                                                .toArray(),
                                        book.asks().keySet().stream()
                                                .mapToLong(Long::longValue)
                                                .toArray(),
                                        book.asks().values().stream()
                                                .mapToLong(Long::longValue)
                                                .toArray(),
                                        2,
                                        8,
                                        500,
                                        1_795_175_103_203L)));
        assertThat(rest.bidCount()).isEqualTo(book.bids().size());
        assertThat(rest.askCount()).isEqualTo(book.asks().size());
        assertThat(rest.bestBid())
                .isEqualByComparingTo(BigDecimal.valueOf(book.bids().firstKey(), 2));
        assertThat(rest.askSize(0))
                .isEqualByComparingTo(BigDecimal.valueOf(book.asks().firstEntry().getValue(), 8));
    }

    private void receive(String payload) throws BookParseException {
        parser.parse(payload, m);
        if (m.isBook()) {
            client.apply(m);
        }
    }

    private static List<String> text(Map<?, ?> side) {
        List<String> out = new ArrayList<>();
        side.forEach((p, s) -> out.add(plain(p, 2) + " x " + plain(s, 8)));
        return out;
    }

    private static String plain(Object v, int scale) {
        BigDecimal d = v instanceof Long ? BigDecimal.valueOf((Long) v, scale) : (BigDecimal) v;
        return d.stripTrailingZeros().toPlainString();
    }
}
