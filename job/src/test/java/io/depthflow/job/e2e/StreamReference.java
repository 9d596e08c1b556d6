package io.depthflow.job.e2e;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.TestBooks;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.job.quote.Walk;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * An independent model of the stream job's book decisions, for integration tests: books as {@code
 * TreeMap<BigDecimal, literal texts>} built from the raw WebSocket messages with Jackson's tree
 * model (numbers as BigDecimal, texts as sent), Kraken's checksum by the guide's string steps on
 * the literal texts, Coinbase's sequence per connection, connection events, and {@link BookWalker}
 * on the book at every window end (the book after every message received before the end). It shares
 * no code with the job's parser, book, sync or window classes.
 */
final class StreamReference {

    /**
     * Numbers as BigDecimal with their literal digits (the tree model strips trailing zeros by
     * default).
     */
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private final long[] notionals;
    private final int[] bands;
    private final Map<String, Book> books = new HashMap<>();
    private final Map<String, Set<String>> known = new HashMap<>();
    private final Map<String, Long> lastSequence = new HashMap<>();
    private final Map<String, String> quotes = new TreeMap<>();
    private final Map<String, Map<String, IndependentCalculation.Book>> windowBooks =
            new TreeMap<>();
    private final Map<String, List<Object>> timeWeightedBands = new TreeMap<>();
    private int windowsWithoutGoodBook;

    private StreamReference(long[] notionals, int[] bands) {
        this.notionals = notionals;
        this.bands = bands;
    }

    /** Replays {@code raw} (one exchange's messages in arrival order; exchanges may interleave). */
    static StreamReference of(List<RawMessage> raw, long[] notionals) throws Exception {
        return of(raw, notionals, new int[0]);
    }

    /**
     * As {@link #of(List, long[])}, with each book's depth {@code bands} time-weighted over each
     * window's usable time ({@link #timeWeightedBands()}).
     */
    static StreamReference of(List<RawMessage> raw, long[] notionals, int[] bands)
            throws Exception {
        StreamReference r = new StreamReference(notionals, bands);
        for (RawMessage m : raw) {
            r.accept(m);
        }
        // The input's end closes each book's last window on its last book; a window its input
        // covered no time of (the last event exactly at its start) is not written.
        r.books.values().stream().filter(b -> b.lastTime > b.windowStart).forEach(r::evaluate);
        return r;
    }

    /** {@code exchange|market|windowStart|side|notional} → {@code "avgPrice complete"}. */
    Map<String, String> quotes() {
        return quotes;
    }

    /** The rows of {@code execution_quotes_1m}, keyed and valued as {@link #quotes()}. */
    static Map<String, String> writtenQuotes() throws Exception {
        Map<String, String> written = new HashMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, market, toUnixTimestamp64Milli(window_start), side, notional, toString(avg_price), complete"
                                + " FROM execution_quotes_1m FINAL")) {
            written.put(
                    r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3) + "|" + r.get(4),
                    new BigDecimal(r.get(5)).stripTrailingZeros().toPlainString() + " " + r.get(6));
        }
        return written;
    }

    /**
     * Every written quote that differs from this reference, or was written where the reference book
     * was not known-good, and every reference quote not written: key → what differs.
     */
    Map<String, String> differencesFrom(Map<String, String> written) {
        Map<String, String> differences = new TreeMap<>();
        quotes.forEach(
                (k, v) -> {
                    if (!v.equals(written.get(k))) {
                        differences.put(k, "expected " + v + ", written " + written.get(k));
                    }
                });
        written.forEach(
                (k, v) -> {
                    if (!quotes.containsKey(k)) {
                        differences.put(
                                k, "written " + v + " where the reference book was not known-good");
                    }
                });
        return differences;
    }

    /**
     * {@code windowStart|market} → venue → its usable book at the window's end, as BigDecimal
     * levels.
     */
    Map<String, Map<String, IndependentCalculation.Book>> windowBooks() {
        return windowBooks;
    }

    /**
     * {@code windowStart|market|exchange|band} → [bid notional, ask notional], each time-weighted
     * over the window's usable time (Σ notional × ms / usable ms), for every window whose book is
     * usable at its end and was usable for some time in it.
     */
    Map<String, List<Object>> timeWeightedBands() {
        return timeWeightedBands;
    }

    int windowsWithoutGoodBook() {
        return windowsWithoutGoodBook;
    }

    private void accept(RawMessage m) throws Exception {
        Set<String> markets = known.computeIfAbsent(m.exchange, e -> new LinkedHashSet<>());
        long t = m.receivedAt;
        if ("ws_event".equals(m.kind)) {
            String event = JSON.readTree(m.payload).get("event").asText();
            if (event.equals("connected")) {
                lastSequence.remove(m.exchange);
            } else {
                dropAll(m.exchange, markets, t);
            }
            return;
        }
        JsonNode json = JSON.readTree(m.payload);
        if (m.exchange.equals("coinbase") && json.has("sequence_num")) {
            long seq = json.get("sequence_num").asLong();
            Long last = lastSequence.get(m.exchange);
            if (last != null && seq == 0 && last > 0) {
                dropAll(m.exchange, markets, t);
            } else if (last != null && seq <= last) {
                return;
            } else if (last != null && seq > last + 1) {
                dropAll(m.exchange, markets, t);
            }
            lastSequence.put(m.exchange, seq);
        }
        if (m.exchange.equals("bitfinex")
                && json.isArray()
                && json.size() >= 3
                && json.get(json.size() - 1).isIntegralNumber()) {
            // SEQ_ALL: every array message of the connection ends with the next sequence number.
            long seq = json.get(json.size() - 1).asLong();
            Long last = lastSequence.get(m.exchange);
            if (last != null && seq <= last) {
                return;
            } else if (last != null && seq > last + 1) {
                dropAll(m.exchange, markets, t);
            }
            lastSequence.put(m.exchange, seq);
        }
        if (m.market.isEmpty()) {
            return;
        }
        markets.add(m.market);
        Book b =
                books.computeIfAbsent(
                        m.exchange + "|" + m.market, k -> new Book(m.exchange, m.market, t));
        closeWindowsUpTo(b, t);
        if (m.exchange.equals("kraken")) {
            kraken(b, json);
        } else if (m.exchange.equals("bitstamp")) {
            bitstamp(b, json);
        } else if (m.exchange.equals("gemini")) {
            gemini(b, json);
        } else if (m.exchange.equals("bitfinex")) {
            bitfinex(b, json, m.payload);
        } else {
            coinbase(b, json);
        }
    }

    private void dropAll(String exchange, Set<String> markets, long t) {
        for (String market : markets) {
            Book b = books.get(exchange + "|" + market);
            closeWindowsUpTo(b, t);
            b.good = false;
            b.bids.clear();
            b.asks.clear();
        }
    }

    private void kraken(Book b, JsonNode json) {
        if (json.has("method")) {
            if (json.path("result").has("depth")) {
                b.depth = json.get("result").get("depth").asInt();
            }
            return;
        }
        if (!"book".equals(json.path("channel").asText())) {
            return;
        }
        JsonNode data = json.get("data").get(0);
        boolean snapshot = "snapshot".equals(json.get("type").asText());
        if (snapshot) {
            b.bids.clear();
            b.asks.clear();
        } else if (!b.good) {
            return;
        }
        for (JsonNode l : data.get("bids")) {
            set(b.bids, l.get("price"), l.get("qty"));
        }
        for (JsonNode l : data.get("asks")) {
            set(b.asks, l.get("price"), l.get("qty"));
        }
        while (b.bids.size() > b.depth) {
            b.bids.pollLastEntry();
        }
        while (b.asks.size() > b.depth) {
            b.asks.pollLastEntry();
        }
        b.good = checksum(b) == data.get("checksum").asLong();
        if (!b.good) {
            b.bids.clear();
            b.asks.clear();
        }
    }

    /** Bitstamp's order_book channel: every data message is the whole top-100 book. */
    private void bitstamp(Book b, JsonNode json) {
        if (!"data".equals(json.path("event").asText())
                || !json.path("channel").asText().startsWith("order_book_")) {
            return;
        }
        b.bids.clear();
        b.asks.clear();
        for (JsonNode l : json.get("data").get("bids")) {
            set(b.bids, l.get(0), l.get(1));
        }
        for (JsonNode l : json.get("data").get("asks")) {
            set(b.asks, l.get(0), l.get(1));
        }
        b.good = true;
    }

    /**
     * Gemini's l2 feed: the message with {@code trades} is the whole book, later ones change
     * levels.
     */
    private void gemini(Book b, JsonNode json) {
        if (!"l2_updates".equals(json.path("type").asText())) {
            return;
        }
        if (json.has("trades")) {
            b.bids.clear();
            b.asks.clear();
            b.good = true;
        } else if (!b.good) {
            return;
        }
        for (JsonNode c : json.get("changes")) {
            set("buy".equals(c.get(0).asText()) ? b.bids : b.asks, c.get(1), c.get(2));
        }
    }

    private static final java.util.regex.Pattern BITFINEX_LEVEL =
            java.util.regex.Pattern.compile("\\[([-0-9.e+]+),(\\d+),([-0-9.e+]+)\\]");

    /**
     * Bitfinex's book channel, P0: levels {@code [PRICE,COUNT,AMOUNT]} read as the literal wire
     * texts (regular expressions over the payload), COUNT 0 removes, the book truncated to the
     * subscribed {@code len}; {@code [CHAN_ID,"cs",CHECKSUM,SEQ]} checks the CRC32 of the top 25
     * bids and asks interleaved, {@code price:amount} with the asks' negative amounts, as sent.
     */
    private void bitfinex(Book b, JsonNode json, String payload) {
        if (json.isObject()) {
            if ("subscribed".equals(json.path("event").asText())) {
                b.depth = Integer.parseInt(json.get("len").asText());
            }
            return;
        }
        JsonNode data = json.get(1);
        if (data.isTextual()) {
            if ("cs".equals(data.asText()) && b.good) {
                b.good = bitfinexChecksum(b) == json.get(2).asInt();
                if (!b.good) {
                    b.bids.clear();
                    b.asks.clear();
                }
            }
            return;
        }
        boolean snapshot = data.size() == 0 || data.get(0).isArray();
        if (snapshot) {
            b.bids.clear();
            b.asks.clear();
            b.good = true;
        } else if (!b.good) {
            return;
        }
        java.util.regex.Matcher l =
                BITFINEX_LEVEL.matcher(payload.substring(payload.indexOf('[', 1)));
        while (l.find()) {
            String price = l.group(1);
            String amount = l.group(3);
            TreeMap<BigDecimal, String[]> side = amount.startsWith("-") ? b.asks : b.bids;
            BigDecimal p = new BigDecimal(price);
            if ("0".equals(l.group(2))) {
                side.remove(p);
            } else {
                side.put(
                        p,
                        new String[] {
                            p.toPlainString(),
                            new BigDecimal(amount).abs().toPlainString(),
                            price,
                            amount
                        });
            }
            if (!snapshot) {
                break;
            }
        }
        while (b.bids.size() > b.depth) {
            b.bids.pollLastEntry();
        }
        while (b.asks.size() > b.depth) {
            b.asks.pollLastEntry();
        }
    }

    private static int bitfinexChecksum(Book b) {
        List<String[]> bids = List.copyOf(b.bids.values());
        List<String[]> asks = List.copyOf(b.asks.values());
        List<String> parts = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            if (i < bids.size()) {
                parts.add(bids.get(i)[2]);
                parts.add(bids.get(i)[3]);
            }
            if (i < asks.size()) {
                parts.add(asks.get(i)[2]);
                parts.add(asks.get(i)[3]);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(String.join(":", parts).getBytes(StandardCharsets.US_ASCII));
        return (int) crc.getValue();
    }

    private void coinbase(Book b, JsonNode json) {
        if (!"l2_data".equals(json.path("channel").asText())) {
            return;
        }
        for (JsonNode event : json.get("events")) {
            if (!event.get("product_id").asText().equals(b.market.replace('/', '-'))) {
                continue;
            }
            if ("snapshot".equals(event.get("type").asText())) {
                b.bids.clear();
                b.asks.clear();
                b.good = true;
            } else if (!b.good) {
                continue;
            }
            for (JsonNode u : event.get("updates")) {
                set(
                        "bid".equals(u.get("side").asText()) ? b.bids : b.asks,
                        u.get("price_level"),
                        u.get("new_quantity"));
            }
        }
    }

    private static void set(TreeMap<BigDecimal, String[]> side, JsonNode price, JsonNode qty) {
        String priceText =
                price.isTextual() ? price.asText() : price.decimalValue().toPlainString();
        String qtyText = qty.isTextual() ? qty.asText() : qty.decimalValue().toPlainString();
        BigDecimal p = new BigDecimal(priceText);
        if (new BigDecimal(qtyText).signum() == 0) {
            side.remove(p);
        } else {
            side.put(p, new String[] {priceText, qtyText});
        }
    }

    /**
     * The guide's steps on the literal texts: asks then bids, '.' removed, leading zeros removed.
     */
    private static long checksum(Book b) {
        StringBuilder s = new StringBuilder();
        for (TreeMap<BigDecimal, String[]> side : List.of(b.asks, b.bids)) {
            side.values().stream()
                    .limit(10)
                    .forEach(l -> s.append(strip(l[0])).append(strip(l[1])));
        }
        CRC32 crc = new CRC32();
        crc.update(s.toString().getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private static String strip(String decimal) {
        String d = decimal.replace(".", "");
        int i = 0;
        while (i < d.length() - 1 && d.charAt(i) == '0') {
            i++;
        }
        return d.substring(i);
    }

    /**
     * Quotes for every window of {@code b} that ends at or before {@code t}, on the book as it is,
     * and the book's time integrated up to {@code t}: called before each change of the book.
     */
    private void closeWindowsUpTo(Book b, long t) {
        while (b.windowStart + 60_000 <= t) {
            integrate(b, b.windowStart + 60_000);
            evaluate(b);
            b.windowStart += 60_000;
            b.usableMs = 0;
            b.integrals.clear();
        }
        integrate(b, t);
    }

    private static boolean usable(Book b) {
        return b.good
                && !b.bids.isEmpty()
                && !b.asks.isEmpty()
                && b.bids.firstKey().compareTo(b.asks.firstKey()) < 0;
    }

    /**
     * Adds the time from the book's last event to {@code t} when the book is usable: per band, the
     * notional inside it (the README's words: bids with p ≥ mid × (1 − b/10⁴), asks with p ≤ mid ×
     * (1 + b/10⁴), Σ p × q) times the milliseconds.
     */
    private void integrate(Book b, long t) {
        if (t <= b.lastTime) {
            return;
        }
        long dt = t - b.lastTime;
        b.lastTime = t;
        if (!usable(b)) {
            return;
        }
        b.usableMs += dt;
        BigDecimal mid = b.bids.firstKey().add(b.asks.firstKey()).divide(BigDecimal.valueOf(2));
        for (int band : bands) {
            BigDecimal rate = BigDecimal.valueOf(band).divide(BigDecimal.valueOf(10_000));
            BigDecimal bidEdge = mid.multiply(BigDecimal.ONE.subtract(rate));
            BigDecimal askEdge = mid.multiply(BigDecimal.ONE.add(rate));
            BigDecimal bid = BigDecimal.ZERO;
            for (String[] l : b.bids.values()) {
                BigDecimal p = new BigDecimal(l[0]);
                if (p.compareTo(bidEdge) >= 0) {
                    bid = bid.add(p.multiply(new BigDecimal(l[1])));
                }
            }
            BigDecimal ask = BigDecimal.ZERO;
            for (String[] l : b.asks.values()) {
                BigDecimal p = new BigDecimal(l[0]);
                if (p.compareTo(askEdge) <= 0) {
                    ask = ask.add(p.multiply(new BigDecimal(l[1])));
                }
            }
            BigDecimal[] sum =
                    b.integrals.computeIfAbsent(
                            band, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            sum[0] = sum[0].add(bid.multiply(BigDecimal.valueOf(dt)));
            sum[1] = sum[1].add(ask.multiply(BigDecimal.valueOf(dt)));
        }
    }

    /** Quotes of {@code b}'s open window on the book as it is now. */
    private void evaluate(Book b) {
        {
            boolean usable = usable(b);
            if (usable && b.usableMs > 0) {
                BigDecimal ms = BigDecimal.valueOf(b.usableMs);
                java.math.MathContext mc = new java.math.MathContext(40);
                for (int band : bands) {
                    BigDecimal[] sum = b.integrals.get(band);
                    timeWeightedBands.put(
                            b.windowStart + "|" + b.market + "|" + b.exchange + "|" + band,
                            List.of(sum[0].divide(ms, mc), sum[1].divide(ms, mc)));
                }
            }
            if (usable) {
                java.util.List<IndependentCalculation.Level> bids = new java.util.ArrayList<>();
                java.util.List<IndependentCalculation.Level> asks = new java.util.ArrayList<>();
                b.bids.values()
                        .forEach(
                                l ->
                                        bids.add(
                                                new IndependentCalculation.Level(
                                                        new BigDecimal(l[0]),
                                                        new BigDecimal(l[1]))));
                b.asks.values()
                        .forEach(
                                l ->
                                        asks.add(
                                                new IndependentCalculation.Level(
                                                        new BigDecimal(l[0]),
                                                        new BigDecimal(l[1]))));
                windowBooks
                        .computeIfAbsent(b.windowStart + "|" + b.market, k -> new TreeMap<>())
                        .put(
                                b.exchange,
                                new IndependentCalculation.Book(b.windowStart, bids, asks));
                OrderBookSnapshot snapshot = snapshot(b);
                for (Side side : Side.values()) {
                    for (long n : notionals) {
                        Walk w = BookWalker.walk(snapshot, side, BigDecimal.valueOf(n));
                        quotes.put(
                                b.exchange
                                        + "|"
                                        + b.market
                                        + "|"
                                        + b.windowStart
                                        + "|"
                                        + side.wireName()
                                        + "|"
                                        + n,
                                BookWalker.toStored(w.avgPrice())
                                                .stripTrailingZeros()
                                                .toPlainString()
                                        + " "
                                        + w.complete());
                    }
                }
            } else {
                windowsWithoutGoodBook++;
            }
        }
    }

    private static OrderBookSnapshot snapshot(Book b) {
        TestBooks builder = TestBooks.book(b.exchange, b.market, 0L);
        b.bids.values().forEach(l -> builder.bid(l[0], l[1]));
        b.asks.values().forEach(l -> builder.ask(l[0], l[1]));
        return builder.build();
    }

    private static final class Book {
        final String exchange;
        final String market;
        final TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<BigDecimal, String[]> asks = new TreeMap<>();
        long windowStart;
        int depth = Integer.MAX_VALUE;
        boolean good;

        /** Time of the book's last event: the time integrated up to. */
        long lastTime;

        /** Usable milliseconds of the open window. */
        long usableMs;

        /** Band → {Σ bid notional × ms, Σ ask notional × ms} of the open window. */
        final Map<Integer, BigDecimal[]> integrals = new HashMap<>();

        Book(String exchange, String market, long firstTime) {
            this.exchange = exchange;
            this.market = market;
            this.windowStart = firstTime / 60_000 * 60_000;
            this.lastTime = firstTime;
        }
    }
}
