package io.depthflow.sources.venue.gemini;

import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.testing.Fixtures;
import io.depthflow.sources.venue.RecordedFeed;
import io.depthflow.sources.venue.TreeBook;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeminiWsParserTest {

    private final GeminiWsParser parser = new GeminiWsParser();
    private final StreamMessage m = new StreamMessage();

    @Test
    void shouldTakeTheFirstDocumentedL2UpdatesAsTheBookAndLaterOnesAsChanges()
            throws BookParseException {
        parser.parse(
                Fixtures.resource("fixtures/docs-examples/gemini/gemini-ws-l2-initial.json"), m);
        assertThat(m.type).isEqualTo(Type.BOOK_SNAPSHOT);
        assertThat(m.market()).isEqualTo("BTC/USD");
        assertThat(m.levelCount).isEqualTo(2);
        assertThat(m.isBid(0)).isTrue();
        assertThat(m.price(0)).isEqualTo(912204);
        assertThat(m.size(0)).isEqualTo(121425);
        assertThat(m.sizeScale(0)).isEqualTo(8);
        assertThat(m.isBid(1)).isFalse();

        parser.parse(
                Fixtures.resource("fixtures/docs-examples/gemini/gemini-ws-l2-update.json"), m);
        assertThat(m.type).isEqualTo(Type.BOOK_UPDATE);
        assertThat(m.isBid(0)).isFalse();
        // "9160.20": the trailing zero is kept in the value's own scale.
        assertThat(m.price(0)).isEqualTo(916020);
        assertThat(m.priceScale(0)).isEqualTo(2);
        assertThat(m.size(0)).isEqualTo(1921229751L);
        assertThat(m.sizeScale(0)).isEqualTo(10);

        parser.parse(Fixtures.resource("fixtures/docs-examples/gemini/gemini-ws-trade.json"), m);
        assertThat(m.type).isEqualTo(Type.OTHER);
        assertThat(m.market()).isEqualTo("BTC/USD");
        assertThat(m.levelCount).isZero();
    }

    @Test
    void shouldReadTheWholeRealRecording() throws BookParseException {
        Map<Type, Integer> types = new EnumMap<>(Type.class);
        for (String payload : RecordedFeed.received("gemini/gemini-ws.txt")) {
            parser.parse(payload, m);
            types.merge(m.type, 1, Integer::sum);
        }
        assertThat(types)
                .containsEntry(Type.BOOK_SNAPSHOT, 6)
                .containsEntry(Type.BOOK_UPDATE, 276)
                .containsEntry(Type.HEARTBEAT, 7)
                // its 300 trades all ride in the six initial messages (the last trades of each
                // book)
                .doesNotContainKey(Type.OTHER);
    }

    /**
     * Replays the real recording's six books (snapshots and 276 updates): every book stays
     * uncrossed after every message, the snapshots have the levels the recording shows, and the 25
     * removals of absent levels its README counts are there (so such a removal is normal on this
     * feed and says nothing about a lost message).
     */
    @Test
    void shouldKeepEveryRealBookUncrossedThroughTheRecording() throws BookParseException {
        Map<String, TreeBook> books = new HashMap<>();
        int absentRemovals = 0;
        int messages = 0;
        for (String payload : RecordedFeed.received("gemini/gemini-ws.txt")) {
            parser.parse(payload, m);
            if (!m.isBook()) {
                continue;
            }
            TreeBook book = books.computeIfAbsent(m.market(), k -> new TreeBook(0));
            if (m.type == Type.BOOK_UPDATE) {
                for (int i = 0; i < m.levelCount; i++) {
                    BigDecimal price = BigDecimal.valueOf(m.price(i), m.priceScale(i));
                    if (m.size(i) == 0
                            && !(m.isBid(i) ? book.bids : book.asks).containsKey(price)) {
                        absentRemovals++;
                    }
                }
            }
            book.apply(m);
            messages++;
            assertThat(book.isCrossed()).as("%s after %s", m.market(), payload).isFalse();
            assertThat(book.bids).isNotEmpty();
            assertThat(book.asks).isNotEmpty();
        }
        assertThat(messages).isEqualTo(282);
        assertThat(absentRemovals).isEqualTo(25);
        assertThat(books)
                .containsOnlyKeys(
                        "LTC/ETH", "ETH/EUR", "BAT/BTC", "ZEC/LTC", "LINK/ETH", "BTC/GBP");
        TreeBook btc = books.get("BTC/GBP");
        assertThat(btc.bids.size() + btc.asks.size()).isPositive();
    }

    @Test
    void shouldDecodeMidStreamAndFilterByMarketWithoutState() throws BookParseException {
        // A fresh parser (a restored job) still sees an update as an update.
        parser.parse(
                Fixtures.resource("fixtures/docs-examples/gemini/gemini-ws-l2-update.json"), m);
        assertThat(m.type).isEqualTo(Type.BOOK_UPDATE);
        parser.parse(
                Fixtures.resource("fixtures/docs-examples/gemini/gemini-ws-l2-initial.json"),
                "ETH/USD",
                m);
        assertThat(m.type).isEqualTo(Type.OTHER);
        assertThat(m.levelCount).isZero();
        parser.parse(
                Fixtures.resource("fixtures/docs-examples/gemini/gemini-ws-l2-initial.json"),
                "BTC/USD",
                m);
        assertThat(m.type).isEqualTo(Type.BOOK_SNAPSHOT);
        assertThat(m.levelCount).isEqualTo(2);
    }

    @Test
    void shouldReportErrorsAndRejectWhatIsNotTheDocumentedShape() throws BookParseException {
        parser.parse(
                "{\"result\":\"error\",\"reason\":\"InvalidJson\",\"message\":\"Failed to parse subscription\"}",
                m);
        assertThat(m.type).isEqualTo(Type.ERROR);
        assertThat(m.error).isEqualTo("InvalidJson: Failed to parse subscription");
        parser.parse("{\"type\":\"heartbeat\",\"timestamp\":1624493666869}", m);
        assertThat(m.type).isEqualTo(Type.HEARTBEAT);
        assertThat(m.markets).isEmpty();

        assertThatThrownBy(
                        () ->
                                parser.parse(
                                        "{\"type\":\"l2_updates\",\"symbol\":\"BTCUSD\",\"changes\":[[\"bid\",\"1\",\"1\"]]}",
                                        m))
                .hasMessage("gemini: changes[0][0] (side) 'bid' is neither buy nor sell");
        assertThatThrownBy(
                        () ->
                                parser.parse(
                                        "{\"type\":\"l2_updates\",\"symbol\":\"BTCUSD\",\"changes\":[[\"buy\",1.5,\"1\"]]}",
                                        m))
                .hasMessage("gemini: changes[0][1] (price) is not a decimal string: 1.5");
        assertThatThrownBy(
                        () ->
                                parser.parse(
                                        "{\"type\":\"l2_updates\",\"symbol\":\"BTCUSD\",\"changes\":[[\"buy\",\"1\",\"-1\"]]}",
                                        m))
                .hasMessage("gemini: changes[0][2] (quantity) is not a plain decimal: \"-1\"");
        assertThatThrownBy(() -> parser.parse("{\"type\":\"l2_updates\",\"symbol\":\"BTCUSD\"}", m))
                .hasMessage("gemini: l2_updates without 'changes'");
        assertThatThrownBy(() -> parser.parse("{\"type\":\"l2_updates\",\"type\":\"trade\"}", m))
                .hasMessage("gemini: duplicate key type");
        assertThatThrownBy(() -> parser.parse("{\"symbol\":\"BTCUSD\"}", m))
                .hasMessage("gemini: object without 'type'");
    }
}
