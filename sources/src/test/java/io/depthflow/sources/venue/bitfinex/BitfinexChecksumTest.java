package io.depthflow.sources.venue.bitfinex;

import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.testing.Fixtures;
import io.depthflow.sources.venue.RecordedFeed;
import io.depthflow.sources.venue.TreeBook;
import io.depthflow.sources.ws.StreamMessage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

class BitfinexChecksumTest {

    private final BitfinexChecksum checksum = new BitfinexChecksum();

    /**
     * The two books and expected checksums of Bitfinex's own Python client tests
     * (fixtures/docs-examples/bitfinex/README.md): snapshot, updates, then the checksum the server
     * sent. The second needs e-notation ({@code 7e-7}, {@code 6e-8}, {@code 1e-8} among the top 25
     * bids).
     */
    @Test
    void shouldMatchTheChecksumsOfBitfinexsClientTests() throws BookParseException {
        List<long[]> results = new ArrayList<>();
        BitfinexWsParser parser = new BitfinexWsParser();
        StreamMessage m = new StreamMessage();
        parser.parse(
                "{\"event\":\"subscribed\",\"channel\":\"book\",\"chanId\":123,\"symbol\":\"tXRPBTC\",\"len\":\"25\"}",
                m);
        TreeBook book = null;
        for (String line :
                Fixtures.resource(
                                "fixtures/docs-examples/bitfinex/bitfinex-client-tests-checksums.txt")
                        .split("\n")) {
            if (line.startsWith("snapshot ")) {
                book = new TreeBook(25);
                parser.parse(line.substring(9), m);
                assertThat(m.type).isEqualTo(StreamMessage.Type.BOOK_SNAPSHOT);
                book.apply(m);
            } else if (line.startsWith("update ")) {
                parser.parse(line.substring(7), m);
                assertThat(m.type).isEqualTo(StreamMessage.Type.BOOK_UPDATE);
                book.apply(m);
            } else if (line.startsWith("checksum ")) {
                results.add(new long[] {checksum.signed(book), Long.parseLong(line.substring(9))});
            }
        }
        assertThat(results).hasSize(2);
        for (long[] r : results) {
            assertThat(r[0]).isEqualTo(r[1]);
        }
    }

    @Test
    void shouldInterleaveBidsAndAsksWithNegativeAskAmounts() throws BookParseException {
        BitfinexWsParser parser = new BitfinexWsParser();
        StreamMessage m = new StreamMessage();
        parser.parse(
                "{\"event\":\"subscribed\",\"channel\":\"book\",\"chanId\":7,\"symbol\":\"tBTCUSD\",\"len\":\"25\"}",
                m);
        parser.parse(
                "[7,[[90000,1,0.5],[89999,2,1.25],[90001,1,-2],[90002,3,-0.000001],[90003,1,-3e-7]],1]",
                m);
        TreeBook book = new TreeBook(25);
        book.apply(m);
        String expected = "90000:0.5:90001:-2:89999:1.25:90002:-0.000001:90003:-3e-7";
        assertThat(checksum.payload(book)).isEqualTo(expected);
        assertThat(checksum.signed(book)).isEqualTo(crc(expected));
        assertThat(checksum.compute(book)).isEqualTo(crc(expected) & 0xFFFF_FFFFL);
    }

    @Test
    void shouldDetectACorruptedBookOrChecksum() throws BookParseException {
        BitfinexWsParser parser = new BitfinexWsParser();
        StreamMessage m = new StreamMessage();
        parser.parse(
                "{\"event\":\"subscribed\",\"channel\":\"book\",\"chanId\":7,\"symbol\":\"tBTCUSD\",\"len\":\"25\"}",
                m);
        parser.parse("[7,[[90000,1,0.5],[90001,1,-2]],1]", m);
        TreeBook book = new TreeBook(25);
        book.apply(m);
        int good = checksum.signed(book);

        // A cs message carrying a different value (the simulator's corrupted checksum) does not
        // match.
        parser.parse("[7,\"cs\"," + (good ^ 1) + ",2]", m);
        assertThat(m.checksum).isNotEqualTo(good & 0xFFFF_FFFFL);
        parser.parse("[7,\"cs\"," + good + ",2]", m);
        assertThat(m.checksum).isEqualTo(good & 0xFFFF_FFFFL);

        // A lost update leaves a book whose checksum differs from the server's.
        parser.parse("[7,[90000,1,0.75],3]", m);
        TreeBook updated = new TreeBook(25);
        updated.apply(parse(parser, "[7,[[90000,1,0.5],[90001,1,-2]],1]"));
        updated.apply(parse(parser, "[7,[90000,1,0.75],3]"));
        assertThat(checksum.signed(updated)).isNotEqualTo(good);
    }

    /**
     * Replays the real recording's two books (snapshot and 1104 updates) and, after every book
     * message, compares the checksum string built from the parsed exact values with one built by an
     * independent oracle from the wire text alone (regular expressions over the payloads, no number
     * parsing). The recording has no {@code cs} messages (its conf set only SEQ_ALL), so this
     * proves the string forms; the client-test checksums above prove the CRC against values
     * Bitfinex sent.
     */
    @Test
    void shouldBuildTheSameChecksumStringAsTheWireTextAfterEveryRealMessage()
            throws BookParseException {
        BitfinexWsParser parser = new BitfinexWsParser();
        StreamMessage m = new StreamMessage();
        Map<Long, TreeBook> books = new HashMap<>();
        Map<Long, WireBook> oracle = new HashMap<>();
        int compared = 0;
        for (String payload : RecordedFeed.received("bitfinex/bitfinex-ws.txt")) {
            BitfinexWsParser.Kind kind = parser.parse(payload, m);
            if (kind == BitfinexWsParser.Kind.SUBSCRIBED) {
                books.put(parser.chanId(), new TreeBook(m.depth));
                oracle.put(parser.chanId(), new WireBook(m.depth));
            } else if (kind == BitfinexWsParser.Kind.BOOK) {
                TreeBook book = books.get(parser.chanId());
                book.apply(m);
                WireBook wire = oracle.get(parser.chanId());
                wire.apply(payload);
                assertThat(checksum.payload(book)).as(payload).isEqualTo(wire.checksumString());
                compared++;
            }
        }
        assertThat(compared).isEqualTo(2 + 1104);
    }

    private static StreamMessage parse(BitfinexWsParser parser, String payload)
            throws BookParseException {
        StreamMessage m = new StreamMessage();
        parser.parse(payload, m);
        return m;
    }

    private static int crc(String s) {
        CRC32 c = new CRC32();
        c.update(s.getBytes(StandardCharsets.US_ASCII));
        return (int) c.getValue();
    }

    /**
     * Levels kept as the wire's own text, ordered by exact value: the docs' algorithm, literally.
     */
    private static final class WireBook {
        private static final Pattern LEVEL =
                Pattern.compile("\\[([-0-9.e+]+),(\\d+),([-0-9.e+]+)\\]");
        private final TreeMap<BigDecimal, String[]> bids =
                new TreeMap<>(Collections.reverseOrder());
        private final TreeMap<BigDecimal, String[]> asks = new TreeMap<>();
        private final int depth;

        WireBook(int depth) {
            this.depth = depth;
        }

        void apply(String payload) {
            boolean snapshot = payload.indexOf("[[") > 0;
            if (snapshot) {
                bids.clear();
                asks.clear();
            }
            Matcher l = LEVEL.matcher(payload.substring(payload.indexOf('[', 1)));
            while (l.find()) {
                String price = l.group(1);
                String amount = l.group(3);
                TreeMap<BigDecimal, String[]> side = amount.startsWith("-") ? asks : bids;
                if ("0".equals(l.group(2))) {
                    side.remove(new BigDecimal(price));
                } else {
                    side.put(new BigDecimal(price), new String[] {price, amount});
                }
                if (!snapshot) {
                    break;
                }
            }
            while (bids.size() > depth) {
                bids.pollLastEntry();
            }
            while (asks.size() > depth) {
                asks.pollLastEntry();
            }
        }

        String checksumString() {
            List<String[]> b = new ArrayList<>(bids.values());
            List<String[]> a = new ArrayList<>(asks.values());
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                if (i < b.size()) {
                    parts.add(b.get(i)[0]);
                    parts.add(b.get(i)[1]);
                }
                if (i < a.size()) {
                    parts.add(a.get(i)[0]);
                    parts.add(a.get(i)[1]);
                }
            }
            return String.join(":", parts);
        }
    }
}
