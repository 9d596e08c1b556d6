package io.depthflow.sources.venue.bitstamp;

import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.BookParsers;
import io.depthflow.sources.testing.Fixtures;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BitstampWsParserTest {

    private final BitstampWsParser parser = new BitstampWsParser();
    private final StreamMessage m = new StreamMessage();

    private StreamMessage decode(String payload) throws BookParseException {
        parser.decode(payload, null, m);
        return m;
    }

    @Test
    void shouldReadTheDocumentedOrderBookMessageAsAWholeBook() throws Exception {
        decode(Fixtures.docsExample("bitstamp/bitstamp-ws-order-book.json"));
        assertThat(m.type).isEqualTo(Type.BOOK_SNAPSHOT);
        assertThat(m.markets).containsExactly("BTC/USD");
        assertThat(m.levelCount).isEqualTo(6);
        assertThat(m.isBid(0)).isTrue();
        assertThat(m.price(0)).isEqualTo(89_999L);
        assertThat(m.priceScale(0)).isZero();
        assertThat(m.size(0)).isEqualTo(51_000_000L);
        assertThat(m.sizeScale(0)).isEqualTo(8);
        assertThat(m.isBid(3)).isFalse();
        assertThat(m.price(3)).isEqualTo(90_001L);
        assertThat(m.sequence).isEqualTo(1_764_979_201_654_321L);
    }

    @Test
    void shouldReadAcksHeartbeatsReconnectRequestsAndErrors() throws Exception {
        assertThat(
                        decode(
                                        Fixtures.docsExample(
                                                "bitstamp/bitstamp-ws-subscription-succeeded.json"))
                                .type)
                .isEqualTo(Type.SUBSCRIBED);
        assertThat(m.markets).containsExactly("BTC/USD");
        assertThat(
                        decode(
                                        "{\"event\":\"bts:unsubscription_succeeded\",\"channel\":\"order_book_ethusd\",\"data\":{}}")
                                .type)
                .isEqualTo(Type.UNSUBSCRIBED);
        assertThat(m.markets).containsExactly("ETH/USD");
        assertThat(decode(Fixtures.docsExample("bitstamp/bitstamp-ws-heartbeat.json")).type)
                .isEqualTo(Type.HEARTBEAT);
        assertThat(m.markets).isEmpty();
        assertThat(decode(Fixtures.docsExample("bitstamp/bitstamp-ws-request-reconnect.json")).type)
                .isEqualTo(Type.RECONNECT);
        assertThat(decode(Fixtures.docsExample("bitstamp/bitstamp-ws-error.json")).type)
                .isEqualTo(Type.ERROR);
        assertThat(m.error).isEqualTo("Bad subscription string.");
    }

    @Test
    void shouldReadEveryRealCapturedMessage() throws Exception {
        List<String> received = BitstampCaptures.received();
        Map<Type, Integer> types = new HashMap<>();
        Map<String, Integer> updatesPerMarket = new TreeMap<>();
        int removals = 0;
        for (String payload : received) {
            decode(payload);
            types.merge(m.type, 1, Integer::sum);
            if (m.type == Type.BOOK_UPDATE) {
                updatesPerMarket.merge(m.market(), 1, Integer::sum);
                assertThat(m.sequence).isBetween(1_641_343_600_000_000L, 1_641_343_800_000_000L);
                for (int i = 0; i < m.levelCount; i++) {
                    removals += m.size(i) == 0 ? 1 : 0;
                }
            }
        }
        // 558 diffs, the 16 subscription acks (8 diff_order_book: SUBSCRIBED; 8 live_trades:
        // OTHER),
        // and the trades of the live_trades channels (OTHER).
        assertThat(types.get(Type.BOOK_UPDATE)).isEqualTo(558);
        assertThat(types.get(Type.SUBSCRIBED)).isEqualTo(8);
        assertThat(types.get(Type.OTHER)).isEqualTo(received.size() - 558 - 8);
        // sgbeur had no diff during the recording (its README counts only its two acks).
        assertThat(updatesPerMarket)
                .containsExactlyEntriesOf(
                        new TreeMap<>(
                                Map.of(
                                        "ADA/EUR",
                                        62,
                                        "BAT/BTC",
                                        136,
                                        "BAT/EUR",
                                        89,
                                        "GALA/EUR",
                                        27,
                                        "USDT/EUR",
                                        101,
                                        "XLM/GBP",
                                        73,
                                        "XRP/EUR",
                                        70)));
        assertThat(removals)
                .as("amount 0 removes a level; Bitstamp writes it as 0.00000000 or 0.00000")
                .isPositive();
    }

    @Test
    void shouldKeepOnlyTheAskedMarketsBookMessages() throws Exception {
        parser.decode(Fixtures.docsExample("bitstamp/bitstamp-ws-order-book.json"), "ETH/USD", m);
        assertThat(m.type).isEqualTo(Type.OTHER);
        assertThat(m.levelCount).isZero();
        parser.decode(Fixtures.docsExample("bitstamp/bitstamp-ws-order-book.json"), "BTC/USD", m);
        assertThat(m.type).isEqualTo(Type.BOOK_SNAPSHOT);
    }

    @Test
    void shouldRejectMessagesThatAreNotTheDocumentedShape() {
        assertThatThrownBy(() -> decode("{\"channel\":\"order_book_btcusd\",\"data\":{}}"))
                .hasMessageContaining("no 'event'");
        assertThatThrownBy(
                        () ->
                                decode(
                                        "{\"event\":\"data\",\"channel\":\"order_book_btcusd\",\"data\":{\"bids\":[],\"asks\":[]}}"))
                .hasMessageContaining("without data.microtimestamp");
        assertThatThrownBy(
                        () ->
                                decode(
                                        "{\"event\":\"data\",\"channel\":\"order_book_btcusd\",\"data\":"
                                                + "{\"microtimestamp\":\"1\",\"bids\":[[\"1\",2]],\"asks\":[]}}"))
                .hasMessageContaining("(amount) is not a decimal string");
        assertThatThrownBy(
                        () ->
                                decode(
                                        "{\"event\":\"data\",\"channel\":\"order_book_zzz\",\"data\":"
                                                + "{\"microtimestamp\":\"1\",\"bids\":[],\"asks\":[]}}"))
                .hasMessageContaining("does not name a known pair");
        assertThatThrownBy(() -> decode("{\"event\":\"data\",\"event\":\"data\"}"))
                .isInstanceOf(BookParseException.class);
        assertThatThrownBy(() -> decode("not json")).isInstanceOf(BookParseException.class);
    }

    /**
     * Bitstamp's documented way to hold a whole book from the diff channel, on the real captures:
     * subscribe to {@code diff_order_book_{pair}}, take the REST snapshot, drop the diffs whose
     * {@code microtimestamp} is not after the snapshot's, apply the rest in order. The books so
     * built stay consistent (never crossed, no empty side) through every one of the 558 diffs.
     */
    @Test
    void shouldSyncTheRealDiffsAgainstTheRealSnapshotsByMicrotimestamp() throws Exception {
        Map<String, TreeMap<BigDecimal, BigDecimal>[]> books = new HashMap<>();
        Map<String, Long> snapshotAt = new HashMap<>();
        for (BitstampCaptures.RestBody b : BitstampCaptures.restBodies()) {
            String market = BitstampSymbols.market(b.pair());
            OrderBookSnapshot s =
                    BookParsers.parse(Fixtures.response("bitstamp", market, b.body()));
            @SuppressWarnings("unchecked")
            TreeMap<BigDecimal, BigDecimal>[] sides =
                    new TreeMap[] {
                        new TreeMap<BigDecimal, BigDecimal>(Comparator.reverseOrder()),
                        new TreeMap<BigDecimal, BigDecimal>()
                    };
            for (int i = 0; i < s.bidPrices.length; i++) {
                sides[0].put(
                        BigDecimal.valueOf(s.bidPrices[i], s.priceScale),
                        BigDecimal.valueOf(s.bidSizes[i], s.sizeScale));
            }
            for (int i = 0; i < s.askPrices.length; i++) {
                sides[1].put(
                        BigDecimal.valueOf(s.askPrices[i], s.priceScale),
                        BigDecimal.valueOf(s.askSizes[i], s.sizeScale));
            }
            books.put(market, sides);
            snapshotAt.put(market, s.sequence);
        }
        int applied = 0;
        int dropped = 0;
        for (String payload : BitstampCaptures.received()) {
            decode(payload);
            if (m.type != Type.BOOK_UPDATE) {
                continue;
            }
            if (m.sequence <= snapshotAt.get(m.market())) {
                dropped++;
                continue;
            }
            TreeMap<BigDecimal, BigDecimal>[] sides = books.get(m.market());
            for (int i = 0; i < m.levelCount; i++) {
                TreeMap<BigDecimal, BigDecimal> side = sides[m.isBid(i) ? 0 : 1];
                BigDecimal price = BigDecimal.valueOf(m.price(i), m.priceScale(i));
                if (m.size(i) == 0) {
                    side.remove(price);
                } else {
                    side.put(price, BigDecimal.valueOf(m.size(i), m.sizeScale(i)));
                }
            }
            applied++;
            assertThat(sides[0]).as(m.market()).isNotEmpty();
            assertThat(sides[1]).as(m.market()).isNotEmpty();
            assertThat(sides[0].firstKey())
                    .as(m.market() + " crossed after a diff")
                    .isLessThan(sides[1].firstKey());
        }
        // The recorder took its snapshots ~5 s after subscribing: the diffs before them are stale.
        assertThat(dropped).isPositive();
        assertThat(applied).isPositive();
        assertThat(applied + dropped).isEqualTo(558);
    }
}
