package io.depthflow.job.cli;

import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.job.quote.Walk;
import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.BookParsers;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code depthflow quote --exchange coinbase|kraken --market M --book FILE --notional N
 * [--notional N ...]}: prices market orders on one saved REST book response and prints one JSON
 * object. Uses the same parser and walk as the job.
 */
final class QuoteCommand {

    static final String USAGE =
            "usage: bin/depthflow quote --exchange coinbase|kraken --market BTC/USD --book FILE --notional 50000 [--notional 100000 ...]";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private QuoteCommand() {}

    static int run(String[] argv, PrintStream out) throws UsageException, CommandException {
        Args a =
                Args.parse(
                        "quote",
                        argv,
                        Set.of("--exchange", "--market", "--book", "--notional"),
                        Set.of());
        if (!a.positional().isEmpty()) {
            throw new UsageException("quote: unexpected argument '" + a.positional().get(0) + "'");
        }
        String exchange = a.required("--exchange");
        try {
            Exchanges.validate(exchange);
        } catch (IllegalArgumentException e) {
            throw new UsageException("quote: " + e.getMessage());
        }
        String market = a.required("--market");
        try {
            Markets.validate(market);
        } catch (IllegalArgumentException e) {
            throw new UsageException("quote: " + e.getMessage());
        }
        Path file = a.existingFile("--book");
        List<Long> notionals = new ArrayList<>();
        for (String n : a.list("--notional", List.of())) {
            notionals.add(a.positiveLong("--notional", n));
        }
        if (notionals.isEmpty()) {
            throw new UsageException("quote: at least one --notional is required");
        }
        String body;
        try {
            body = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandException("quote: cannot read " + file + ": " + e.getMessage());
        }
        OrderBookSnapshot book;
        try {
            book =
                    BookParsers.parse(
                            RawMessage.restResponse(
                                    exchange, market, System.currentTimeMillis(), 200, body));
        } catch (BookParseException e) {
            throw new CommandException("quote: " + file + ": " + e.getMessage());
        }
        out.println(toJson(book, notionals));
        return 0;
    }

    static String toJson(OrderBookSnapshot book, List<Long> notionals) {
        ObjectNode root = JSON.createObjectNode();
        BigDecimal mid = book.mid();
        root.put("exchange", book.exchange);
        root.put("market", book.market);
        root.put("best_bid", book.bestBid());
        root.put("best_ask", book.bestAsk());
        root.put("mid", mid);
        root.put("spread_bps", BookWalker.spreadBps(book.bestBid(), book.bestAsk()));
        ArrayNode quotes = root.putArray("quotes");
        for (Side side : Side.values()) {
            for (long n : notionals) {
                Walk w = BookWalker.walk(book, side, BigDecimal.valueOf(n));
                ObjectNode q = quotes.addObject();
                q.put("side", side.wireName());
                q.put("notional", n);
                q.put("complete", w.complete());
                q.put("avg_price", plain(w.avgPrice()));
                q.put("worst_price", plain(w.worstPrice()));
                q.put("base_qty", plain(w.baseQty()));
                q.put("filled_notional", plain(w.filledNotional()));
                q.put("levels", w.levels());
                q.put("slippage_bps", BookWalker.slippageBps(w, mid));
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As stored in ClickHouse: 18 fraction digits, trailing zeros dropped. */
    private static BigDecimal plain(BigDecimal v) {
        BigDecimal s = BookWalker.toStored(v).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
