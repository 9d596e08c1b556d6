package io.depthflow.sources.venue.bitfinex;

import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.testing.Fixtures;
import io.depthflow.sources.venue.RandomSimBook;
import io.depthflow.sources.venue.TreeBook;
import io.depthflow.sources.venue.bitfinex.BitfinexWsParser.Kind;
import io.depthflow.sources.ws.StreamMessage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's Bitfinex dialect, read back by the client's parser, book and checksum: the
 * client's book follows the simulated one through hundreds of steps with every checksum and
 * sequence number right, and each injected fault is caught where it should be.
 */
class BitfinexFeedSessionTest {

    private final RandomSimBook book = new RandomSimBook(900_000, 300, 1, 8, 7);
    private final BitfinexFeedSession session =
            new BitfinexFeedSession(m -> "BTC/USD".equals(m) ? book : null, 17);
    private final Client client = new Client();

    @Test
    void shouldKeepTheClientsBookInStepWithEveryChecksumAndSequenceRight()
            throws BookParseException {
        client.receive(session.onOpen());
        client.receive(session.onText(Bitfinex.conf(), 0));
        client.receive(session.onText(Bitfinex.subscribe("BTC/USD", 25), 0));
        assertThat(client.book.bids).hasSize(25);
        for (int step = 0; step < 500; step++) {
            book.step(3);
            client.receive(session.onStep("BTC/USD"));
            if (step % 50 == 0) {
                client.receive(session.heartbeats());
            }
            assertThat(text(top(client.book.bids))).isEqualTo(text(top(book.bids(), 25)));
            assertThat(text(top(client.book.asks))).isEqualTo(text(top(book.asks(), 25)));
        }
        assertThat(client.checksums).isGreaterThan(400);
        assertThat(client.mismatches).isZero();
        assertThat(client.gaps).isZero();
        assertThat(client.exponential).as("tiny sizes are written in e-notation").isPositive();
    }

    @Test
    void shouldCatchACorruptedChecksumAtTheNextChecksumMessage() throws BookParseException {
        client.receive(session.onText(Bitfinex.conf(), 0));
        client.receive(session.onText(Bitfinex.subscribe("BTC/USD", 250), 0));
        for (int step = 0; step < 20; step++) {
            book.step(2);
            client.receive(session.onStep("BTC/USD"));
        }
        assertThat(client.mismatches).isZero();
        session.corruptNextChecksum("BTC/USD");
        do {
            book.step(2);
            client.receive(session.onStep("BTC/USD"));
        } while (client.mismatches == 0 && client.checksums < 1000);
        assertThat(client.mismatches).isEqualTo(1);
        assertThat(client.gaps).isZero();
        // Resubscribe: unsubscribe + subscribe brings a new snapshot that checks again.
        client.receive(session.onText(Bitfinex.unsubscribe(client.parser.channelOf("BTC/USD")), 0));
        client.receive(session.onText(Bitfinex.subscribe("BTC/USD", 250), 0));
        book.step(2);
        client.receive(session.onStep("BTC/USD"));
        assertThat(client.mismatches).isEqualTo(1);
        assertThat(client.lastChecksumOk).isTrue();
    }

    @Test
    void shouldShowADroppedMessageAsASequenceGapAndABadChecksum() throws BookParseException {
        client.receive(session.onText(Bitfinex.conf(), 0));
        client.receive(session.onText(Bitfinex.subscribe("BTC/USD", 25), 0));
        session.dropNextUpdate("BTC/USD");
        int before = client.received;
        do {
            book.step(2);
            client.receive(session.onStep("BTC/USD"));
        } while (client.received == before);
        assertThat(client.gaps).isEqualTo(1);
        assertThat(client.missing).isEqualTo(1);
        assertThat(client.mismatches).isEqualTo(1);
    }

    @Test
    void shouldAnswerPingsErrorsAndServeTheRestBook() throws BookParseException {
        assertThat(session.onText(Bitfinex.ping(42), 1_795_175_103_203L))
                .containsExactly("{\"event\":\"pong\",\"ts\":1795175103203,\"cid\":42}");
        assertThat(session.onText(Bitfinex.subscribe("ETH/USD", 25), 0))
                .containsExactly(
                        "{\"event\":\"error\",\"msg\":\"Unknown pair\",\"code\":10001,\"symbol\":\"tETHUSD\"}");
        assertThat(
                        session.onText(
                                "{\"event\":\"subscribe\",\"channel\":\"book\",\"symbol\":\"tBTCUSD\",\"prec\":\"P0\",\"len\":\"50\"}",
                                0))
                .containsExactly(
                        "{\"event\":\"error\",\"msg\":\"Unknown Book length\",\"code\":10012,\"symbol\":\"tBTCUSD\"}");

        long[][] side = arrays(book);
        OrderBookSnapshot rest =
                BitfinexBookParser.parse(
                        Fixtures.response(
                                Bitfinex.NAME,
                                "BTC/USD",
                                BitfinexRestDialect.levels(
                                        side[0], side[1], side[2], side[3], 1, 8, 100)));
        assertThat(rest.bidCount()).isEqualTo(100);
        assertThat(rest.askCount()).isEqualTo(100);
        List<BigDecimal[]> bids = top(book.bids(), 100);
        for (int i = 0; i < 100; i++) {
            assertThat(rest.bidPrice(i)).isEqualByComparingTo(bids.get(i)[0]);
            assertThat(rest.bidSize(i)).isEqualByComparingTo(bids.get(i)[1]);
        }
        assertThat(rest.bestAsk())
                .isEqualByComparingTo(BigDecimal.valueOf(book.asks().firstKey(), 1));
    }

    /** {bid prices, bid sizes, ask prices, ask sizes}, best first. */
    static long[][] arrays(RandomSimBook book) {
        long[][] out = new long[4][];
        out[0] = book.bids().keySet().stream().mapToLong(Long::longValue).toArray();
        out[1] = book.bids().values().stream().mapToLong(Long::longValue).toArray();
        out[2] = book.asks().keySet().stream().mapToLong(Long::longValue).toArray();
        out[3] = book.asks().values().stream().mapToLong(Long::longValue).toArray();
        return out;
    }

    private List<BigDecimal[]> top(Map<Long, Long> side, int n) {
        List<BigDecimal[]> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : side.entrySet()) {
            if (out.size() == n) {
                break;
            }
            out.add(
                    new BigDecimal[] {
                        BigDecimal.valueOf(e.getKey(), 1), BigDecimal.valueOf(e.getValue(), 8)
                    });
        }
        return normalized(out);
    }

    private static List<BigDecimal[]> top(Map<BigDecimal, BigDecimal> side) {
        List<BigDecimal[]> out = new ArrayList<>();
        side.forEach((p, s) -> out.add(new BigDecimal[] {p, s}));
        return normalized(out);
    }

    private static List<String> text(List<BigDecimal[]> levels) {
        List<String> out = new ArrayList<>();
        levels.forEach(l -> out.add(l[0].toPlainString() + " x " + l[1].toPlainString()));
        return out;
    }

    private static List<BigDecimal[]> normalized(List<BigDecimal[]> levels) {
        List<BigDecimal[]> out = new ArrayList<>();
        for (BigDecimal[] l : levels) {
            out.add(new BigDecimal[] {l[0].stripTrailingZeros(), l[1].stripTrailingZeros()});
        }
        return out;
    }

    /** The client side: parser, sequence, book and checksum, as the connection uses them. */
    private static final class Client {
        final BitfinexWsParser parser = new BitfinexWsParser();
        final BitfinexSequence sequence = new BitfinexSequence();
        final BitfinexChecksum checksum = new BitfinexChecksum();
        final StreamMessage m = new StreamMessage();
        TreeBook book;
        int checksums;
        int mismatches;
        int gaps;
        long missing;
        int received;
        int exponential;
        boolean lastChecksumOk;

        void receive(String payload) throws BookParseException {
            receive(List.of(payload));
        }

        void receive(List<String> payloads) throws BookParseException {
            for (String payload : payloads) {
                received++;
                Kind kind = parser.parse(payload, m);
                if (payload.matches(".*\\de-\\d.*")) {
                    exponential++;
                }
                if (sequence.accept(m.sequence)
                        == io.depthflow.sources.venue.ConnectionSequence.Verdict.GAP) {
                    gaps++;
                    missing += sequence.missing();
                }
                if (kind == Kind.SUBSCRIBED) {
                    book = new TreeBook(m.depth);
                } else if (kind == Kind.BOOK) {
                    book.apply(m);
                } else if (kind == Kind.CHECKSUM) {
                    checksums++;
                    lastChecksumOk = checksum.compute(book) == m.checksum;
                    if (!lastChecksumOk) {
                        mismatches++;
                    }
                }
            }
        }
    }
}
