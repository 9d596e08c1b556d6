package io.depthflow.job.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately separate re-implementation of the pipeline's definitions, used to check what the
 * job wrote: it reads capture lines with a plain Jackson tree (not the production parsers), keeps
 * levels as lists of BigDecimal pairs, and recomputes per-minute mids, the quotes on each window's
 * last book and the best venues. Unusable messages (non-200, exchange errors, malformed JSON, empty
 * or crossed books) are skipped, as the job sends them to ingest_errors.
 */
final class IndependentCalculation {

    /** Numbers as exact decimals (Bitfinex sends its prices and amounts as JSON numbers). */
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(
                            com.fasterxml.jackson.databind.DeserializationFeature
                                    .USE_BIG_DECIMAL_FOR_FLOATS);

    private static final MathContext MC = new MathContext(50);

    record Level(BigDecimal price, BigDecimal qty) {}

    record Book(long receivedAt, List<Level> bids, List<Level> asks) {
        BigDecimal mid() {
            return bids.get(0).price().add(asks.get(0).price()).divide(BigDecimal.valueOf(2), MC);
        }
    }

    /** Expected rows, keyed "window|market|exchange" and "window|market|side|notional". */
    final Map<String, BigDecimal> mids = new TreeMap<>();

    final Map<String, String> bestVenue = new TreeMap<>();
    final Map<String, BigDecimal> bestPrice = new TreeMap<>();
    int usableBooks;
    int unusableMessages;

    /** The notionals the job quotes when run without {@code --notionals}: the slippage ladder. */
    static long[] jobDefaultNotionals() {
        return io.depthflow.job.liquidity.Liquidity.DEFAULT_NOTIONALS_USD.stream()
                .mapToLong(Long::longValue)
                .toArray();
    }

    static IndependentCalculation of(List<String> captureLines, long[] notionals) throws Exception {
        IndependentCalculation calc = new IndependentCalculation();
        // window -> market -> exchange -> books
        Map<Long, Map<String, Map<String, List<Book>>>> byWindow = new TreeMap<>();
        for (String line : captureLines) {
            JsonNode n = JSON.readTree(line);
            String exchange = n.get("exchange").asText();
            String market = n.get("market").asText();
            long t = Instant.parse(n.get("received_at").asText()).toEpochMilli();
            Book book = usableBook(exchange, n, t);
            if (book == null) {
                calc.unusableMessages++;
                continue;
            }
            calc.usableBooks++;
            long window = t - Math.floorMod(t, 60_000L);
            byWindow.computeIfAbsent(window, k -> new TreeMap<>())
                    .computeIfAbsent(market, k -> new TreeMap<>())
                    .computeIfAbsent(exchange, k -> new ArrayList<>())
                    .add(book);
        }
        byWindow.forEach(
                (window, markets) ->
                        markets.forEach(
                                (market, exchanges) -> {
                                    BigDecimal midSum = BigDecimal.ZERO;
                                    for (Map.Entry<String, List<Book>> e : exchanges.entrySet()) {
                                        BigDecimal sum = BigDecimal.ZERO;
                                        for (Book b : e.getValue()) {
                                            sum = sum.add(b.mid());
                                        }
                                        BigDecimal mid =
                                                sum.divide(
                                                        BigDecimal.valueOf(e.getValue().size()),
                                                        MC);
                                        calc.mids.put(
                                                window + "|" + market + "|" + e.getKey(), mid);
                                        midSum = midSum.add(mid);
                                    }
                                    calc.mids.put(
                                            window + "|" + market + "|all",
                                            midSum.divide(
                                                    BigDecimal.valueOf(exchanges.size()), MC));
                                    for (String side : List.of("buy", "sell")) {
                                        for (long notional : notionals) {
                                            String best = null;
                                            BigDecimal bestAvg = null;
                                            for (Map.Entry<String, List<Book>> e :
                                                    exchanges.entrySet()) {
                                                Book last =
                                                        e.getValue().stream()
                                                                .max(
                                                                        Comparator.comparingLong(
                                                                                Book::receivedAt))
                                                                .orElseThrow();
                                                BigDecimal avg =
                                                        averagePrice(
                                                                side.equals("buy")
                                                                        ? last.asks()
                                                                        : last.bids(),
                                                                BigDecimal.valueOf(notional));
                                                if (avg == null) {
                                                    continue;
                                                }
                                                boolean better =
                                                        bestAvg == null
                                                                || (side.equals("buy")
                                                                        ? avg.compareTo(bestAvg) < 0
                                                                        : avg.compareTo(bestAvg)
                                                                                > 0);
                                                if (better) {
                                                    best = e.getKey();
                                                    bestAvg = avg;
                                                }
                                            }
                                            if (best != null) {
                                                String key =
                                                        window + "|" + market + "|" + side + "|"
                                                                + notional;
                                                calc.bestVenue.put(key, best);
                                                calc.bestPrice.put(key, bestAvg);
                                            }
                                        }
                                    }
                                }));
        return calc;
    }

    /**
     * The usable books of capture lines by the job's key ({@code exchange|market}), in line order.
     */
    static Map<String, List<Book>> booksByKey(List<String> captureLines) throws Exception {
        Map<String, List<Book>> books = new TreeMap<>();
        for (String line : captureLines) {
            JsonNode n = JSON.readTree(line);
            String exchange = n.get("exchange").asText();
            Book book =
                    usableBook(
                            exchange,
                            n,
                            Instant.parse(n.get("received_at").asText()).toEpochMilli());
            if (book != null) {
                books.computeIfAbsent(
                                exchange + "|" + n.get("market").asText(), k -> new ArrayList<>())
                        .add(book);
            }
        }
        return books;
    }

    /** Average price of filling exactly {@code notional}; null when the side is too thin. */
    static BigDecimal averagePrice(List<Level> side, BigDecimal notional) {
        BigDecimal spent = BigDecimal.ZERO;
        BigDecimal qty = BigDecimal.ZERO;
        for (Level l : side) {
            BigDecimal remaining = notional.subtract(spent);
            BigDecimal levelValue = l.price().multiply(l.qty());
            if (levelValue.compareTo(remaining) >= 0) {
                qty = qty.add(remaining.divide(l.price(), MC));
                return notional.divide(qty, MC);
            }
            spent = spent.add(levelValue);
            qty = qty.add(l.qty());
        }
        return null;
    }

    private static Book usableBook(String exchange, JsonNode line, long t) {
        if (line.has("error")
                || (line.has("http_status") && line.get("http_status").asInt() != 200)) {
            return null;
        }
        JsonNode payload = line.get("payload");
        if (exchange.equals("bitfinex") && payload != null && payload.isArray()) {
            return bitfinexBook(payload, t);
        }
        if (payload == null || !payload.isObject()) {
            return null; // a body that was not JSON is stored as a string
        }
        if (exchange.equals("gemini")) {
            // {"bids":[{"price":"..","amount":"..","timestamp":".."}],"asks":[..]}; errors carry
            // "result"
            return payload.has("result")
                    ? null
                    : book(
                            objectLevels(payload.path("bids")),
                            objectLevels(payload.path("asks")),
                            t);
        }
        JsonNode book;
        if (exchange.equals("kraken")) {
            if (!payload.path("error").isArray() || payload.path("error").size() > 0) {
                return null;
            }
            JsonNode result = payload.path("result");
            if (result.size() != 1) {
                return null;
            }
            book = result.elements().next();
        } else {
            if (payload.has("message")) {
                return null;
            }
            book = payload;
        }
        return book(levels(book.path("bids")), levels(book.path("asks")), t);
    }

    /**
     * Bitfinex: {@code [[PRICE,COUNT,AMOUNT],..]}, AMOUNT &gt; 0 a bid, &lt; 0 an ask; {@code
     * ["error",..]} is none.
     */
    private static Book bitfinexBook(JsonNode payload, long t) {
        List<Level> bids = new ArrayList<>();
        List<Level> asks = new ArrayList<>();
        for (JsonNode l : payload) {
            if (!l.isArray() || l.size() != 3 || !l.get(0).isNumber() || !l.get(2).isNumber()) {
                return null;
            }
            BigDecimal amount = l.get(2).decimalValue();
            (amount.signum() > 0 ? bids : asks)
                    .add(new Level(l.get(0).decimalValue(), amount.abs()));
        }
        return book(bids, asks, t);
    }

    private static List<Level> objectLevels(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        List<Level> out = new ArrayList<>();
        for (JsonNode l : array) {
            if (!l.path("price").isTextual() || !l.path("amount").isTextual()) {
                return null;
            }
            BigDecimal qty = new BigDecimal(l.get("amount").asText());
            if (qty.signum() > 0) {
                out.add(new Level(new BigDecimal(l.get("price").asText()), qty));
            }
        }
        return out;
    }

    private static Book book(List<Level> bids, List<Level> asks, long t) {
        if (bids == null || asks == null || bids.isEmpty() || asks.isEmpty()) {
            return null;
        }
        bids.sort(Comparator.comparing(Level::price).reversed());
        asks.sort(Comparator.comparing(Level::price));
        if (bids.get(0).price().compareTo(asks.get(0).price()) >= 0) {
            return null;
        }
        return new Book(t, bids, asks);
    }

    private static List<Level> levels(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        List<Level> out = new ArrayList<>();
        for (JsonNode l : array) {
            if (!l.isArray() || l.size() < 2 || !l.get(0).isTextual() || !l.get(1).isTextual()) {
                return null;
            }
            try {
                BigDecimal qty = new BigDecimal(l.get(1).asText());
                if (qty.signum() > 0) {
                    out.add(new Level(new BigDecimal(l.get(0).asText()), qty));
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out;
    }
}
