package io.depthflow.sources.simulator;

import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.venue.Venues;
import io.depthflow.sources.venue.coinbase.CoinbaseSequence;
import io.depthflow.sources.ws.ConnectionEvent;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;
import io.depthflow.sources.ws.StreamParsers;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamScriptTest {

    private final StreamParsers parsers = new StreamParsers();
    private final StreamMessage m = new StreamMessage();

    @Test
    void shouldGenerateParseableMessagesWithContiguousCoinbaseSequences() throws Exception {
        List<RawMessage> messages = StreamScript.builder().seed(3).updates(300).build().messages();
        Map<Type, Integer> types = new EnumMap<>(Type.class);
        CoinbaseSequence seq = new CoinbaseSequence();
        for (RawMessage raw : messages) {
            if (RawMessage.KIND_WS_EVENT.equals(raw.kind)) {
                assertThat(ConnectionEvent.of(raw.payload)).isEqualTo(ConnectionEvent.CONNECTED);
                continue;
            }
            parsers.parse(raw.exchange, raw.payload, raw.market.isEmpty() ? null : raw.market, m);
            types.merge(m.type, 1, Integer::sum);
            if (m.isBook()) {
                assertThat(m.market()).isEqualTo(raw.market);
                assertThat(m.levelCount).isPositive();
            }
            if ("coinbase".equals(raw.exchange)) {
                assertThat(seq.accept(m.sequence))
                        .isIn(CoinbaseSequence.Verdict.IN_ORDER, CoinbaseSequence.Verdict.RESTART);
            }
        }
        assertThat(types.get(Type.BOOK_SNAPSHOT)).isEqualTo(4);
        assertThat(types.get(Type.BOOK_UPDATE)).isGreaterThan(500);
        assertThat(types.get(Type.HEARTBEAT)).isGreaterThan(50);
        assertThat(types.get(Type.SUBSCRIBED)).isEqualTo(3); // two Kraken acks, one Coinbase list
    }

    @Test
    void shouldLeaveASequenceGapAndReconnectAfterADroppedCoinbaseMessage() throws Exception {
        List<RawMessage> messages =
                StreamScript.builder()
                        .seed(3)
                        .updates(50)
                        .fault("coinbase", StreamFault.DROP_MESSAGE, 20)
                        .build()
                        .messages();
        CoinbaseSequence seq = new CoinbaseSequence();
        int gaps = 0;
        int connects = 0;
        for (RawMessage raw : messages) {
            if (!"coinbase".equals(raw.exchange)) {
                continue;
            }
            if (RawMessage.KIND_WS_EVENT.equals(raw.kind)) {
                connects++;
                seq.reset();
                continue;
            }
            parsers.parse(raw.exchange, raw.payload, null, m);
            if (seq.accept(m.sequence) == CoinbaseSequence.Verdict.GAP) {
                gaps++;
                assertThat(seq.missing()).isEqualTo(1);
            }
        }
        assertThat(gaps).isEqualTo(1);
        assertThat(connects).isEqualTo(2);
    }

    @Test
    void shouldWriteDecimalsWithFixedOrStrippedFractionDigits() {
        StringBuilder s = new StringBuilder();
        WireText.appendFixed(s, 10_000_000, 8);
        s.append(' ');
        WireText.appendFixed(s, 5, 3);
        s.append(' ');
        WireText.appendStripped(s, 2_192_130, 2);
        s.append(' ');
        WireText.appendStripped(s, 2_000_000, 8);
        s.append(' ');
        WireText.appendStripped(s, 300, 2);
        assertThat(s.toString()).isEqualTo("0.10000000 0.005 21921.3 0.02 3");
    }

    @Test
    void shouldCorruptOnlyTheChecksumDigits() {
        String update =
                "{\"channel\":\"book\",\"data\":[{\"checksum\":4294967295,\"timestamp\":\"t\"}]}";
        assertThat(io.depthflow.sources.venue.kraken.KrakenFeedMessages.withWrongChecksum(update))
                .isEqualTo(update.replace("4294967295", "0"));
    }

    @Test
    void shouldScriptEveryVenueAndIgnoreAFaultTheVenueCannotShow() {
        // every registered venue has one (ScriptedFeedsTest reads each back)
        assertThat(StreamScript.builder().exchanges(Venues.names()).updates(5).build().messages())
                .extracting(r -> r.exchange)
                .containsAll(Venues.names());
        assertThatThrownBy(() -> StreamScript.builder().exchanges(List.of("binance")))
                .hasMessageStartingWith("unknown exchange 'binance'");
        assertThatThrownBy(() -> StreamScript.builder().depth("kraken", 11))
                .hasMessage("kraken depth must be one of [10, 25, 100, 500, 1000], got 11");

        // Coinbase has no checksum: the same session with and without a corrupt_checksum fault
        List<RawMessage> clean =
                StreamScript.builder()
                        .seed(4)
                        .exchanges(List.of("coinbase"))
                        .updates(60)
                        .build()
                        .messages();
        List<RawMessage> faulted =
                StreamScript.builder()
                        .seed(4)
                        .exchanges(List.of("coinbase"))
                        .updates(60)
                        .fault("coinbase", StreamFault.CORRUPT_CHECKSUM, 10)
                        .build()
                        .messages();
        assertThat(faulted).isEqualTo(clean).isNotEmpty();
        assertThat(clean).allMatch(m -> m.exchange.equals("coinbase"));
    }
}
