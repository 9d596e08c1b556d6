package io.depthflow.job.book;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.depthflow.sources.model.Decimals;
import io.depthflow.sources.testing.Fixtures;
import io.depthflow.sources.venue.kraken.KrakenChecksum;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kraken's CRC32 over the top 10 levels, on the documented MATIC/USD example (exchanges.md §5.4,
 * §5.5) and on generated books against an independent, string-based reading of the guide.
 */
class KrakenChecksumTest {

    private final KrakenChecksum checksum = new KrakenChecksum();

    @Test
    void shouldReproduceTheDocumentedSnapshotAndUpdateChecksumsAtThePairsDecimals()
            throws IOException {
        Message snapshot = Message.read(Fixtures.docsExample("kraken-ws-v2-book-snapshot.json"));
        Message update = Message.read(Fixtures.docsExample("kraken-ws-v2-book-update.json"));

        L2Book book = new L2Book(10);
        snapshot.applyTo(book);
        // The doc prints 0.566 and 18097.1547, but the pair has 4 price and 8 qty decimals: the
        // book's scales (the most fraction digits seen) restore the trailing zeros.
        assertThat(book.priceScale()).isEqualTo(4);
        assertThat(book.sizeScale()).isEqualTo(8);
        assertThat(checksum.compute(book)).isEqualTo(snapshot.checksum).isEqualTo(2_439_117_997L);

        update.applyTo(book);
        assertThat(checksum.compute(book)).isEqualTo(update.checksum).isEqualTo(2_114_181_697L);
    }

    @Test
    void shouldNotReproduceTheSnapshotChecksumFromTheDigitsAsPrinted() throws IOException {
        // exchanges.md §5.4: with the literal digits of the doc, the CRC is 3830085102, so the
        // example lost trailing zeros that are part of the checksum input.
        Message snapshot = Message.read(Fixtures.docsExample("kraken-ws-v2-book-snapshot.json"));
        StringBuilder s = new StringBuilder();
        for (String[] level : snapshot.asks) {
            s.append(guideFormat(level[0])).append(guideFormat(level[1]));
        }
        for (String[] level : snapshot.bids) {
            s.append(guideFormat(level[0])).append(guideFormat(level[1]));
        }
        assertThat(crc(s.toString())).isEqualTo(3_830_085_102L).isNotEqualTo(snapshot.checksum);
    }

    @Test
    void shouldMatchTheGuidesStringAlgorithmOnGeneratedBooks() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int round = 0; round < 500; round++) {
            int priceScale = rnd.nextInt(0, 9);
            int sizeScale = rnd.nextInt(0, 11);
            L2Book book = new L2Book();
            book.reset(priceScale, sizeScale);
            long bid = 1 + rnd.nextLong(10_000_000_000L);
            long ask = bid + 1 + rnd.nextInt(50);
            int levels = rnd.nextInt(0, 25);
            for (int i = 0; i < levels; i++) {
                // sizes from 1 unit (0.00000001) up, so leading zeros are common
                book.set(true, bid, 1 + rnd.nextLong(rnd.nextBoolean() ? 1_000 : 100_000_000_000L));
                book.set(
                        false, ask, 1 + rnd.nextLong(rnd.nextBoolean() ? 1_000 : 100_000_000_000L));
                bid = Math.max(1, bid - 1 - rnd.nextInt(100));
                ask += 1 + rnd.nextInt(100);
            }
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < Math.min(10, book.askCount()); i++) {
                s.append(guideFormat(plain(book.askPrice(i), priceScale)))
                        .append(guideFormat(plain(book.askSize(i), sizeScale)));
            }
            for (int i = 0; i < Math.min(10, book.bidCount()); i++) {
                s.append(guideFormat(plain(book.bidPrice(i), priceScale)))
                        .append(guideFormat(plain(book.bidSize(i), sizeScale)));
            }
            assertThat(checksum.compute(book)).as("round %s", round).isEqualTo(crc(s.toString()));
        }
    }

    /** Every digit count and the boundaries around powers of ten, up to the largest long. */
    @Test
    void shouldWriteTheDigitsOfEveryMagnitudeExactly() {
        java.util.List<Long> values =
                new java.util.ArrayList<>(
                        java.util.List.of(1L, 9L, Long.MAX_VALUE - 1, Long.MAX_VALUE));
        for (long p = 10; p > 0 && p <= 1_000_000_000_000_000_000L; p *= 10) {
            values.addAll(java.util.List.of(p - 1, p, p + 1));
        }
        for (long v : values) {
            L2Book book = new L2Book();
            book.set(false, v, v);
            assertThat(checksum.compute(book)).as("%d", v).isEqualTo(crc(Long.toString(v) + v));
        }
    }

    /** Remove '.', then remove leading zeros (the guide's steps, on text). */
    private static String guideFormat(String decimal) {
        String s = decimal.replace(".", "");
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }

    private static String plain(long unscaled, int scale) {
        return BigDecimal.valueOf(unscaled, scale).toPlainString();
    }

    private static long crc(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    /** A Kraken v2 book message read with the literal number text (never through double). */
    private static final class Message {
        final List<String[]> bids = new ArrayList<>();
        final List<String[]> asks = new ArrayList<>();
        long checksum;

        static Message read(String json) throws IOException {
            Message m = new Message();
            try (JsonParser p = new JsonFactory().createParser(json)) {
                List<String[]> side = null;
                String price = null;
                String field = null;
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t == JsonToken.FIELD_NAME) {
                        field = p.currentName();
                        if ("bids".equals(field)) {
                            side = m.bids;
                        } else if ("asks".equals(field)) {
                            side = m.asks;
                        }
                    } else if (t.isNumeric() && "price".equals(field)) {
                        price = p.getText();
                    } else if (t.isNumeric() && "qty".equals(field)) {
                        side.add(new String[] {price, p.getText()});
                    } else if (t.isNumeric() && "checksum".equals(field)) {
                        m.checksum = Long.parseLong(p.getText());
                    }
                }
            }
            return m;
        }

        void applyTo(L2Book book) {
            for (String[] l : bids) {
                set(book, true, l);
            }
            for (String[] l : asks) {
                set(book, false, l);
            }
            book.truncate();
        }

        private static void set(L2Book book, boolean bid, String[] level) {
            int ps = Decimals.scaleOf(level[0]);
            int ss = Decimals.scaleOf(level[1]);
            book.set(
                    bid,
                    Decimals.parseScaled(level[0], ps),
                    ps,
                    Decimals.parseScaled(level[1], ss),
                    ss);
        }
    }
}
