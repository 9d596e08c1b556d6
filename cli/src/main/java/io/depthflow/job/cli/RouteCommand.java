package io.depthflow.job.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.depthflow.job.liquidity.Dislocation;
import io.depthflow.job.liquidity.Liquidity;
import io.depthflow.job.liquidity.Route;
import io.depthflow.job.liquidity.TakerFees;
import io.depthflow.job.options.CommandModel;
import io.depthflow.job.options.ParsedOptions;
import io.depthflow.job.options.UsageException;
import io.depthflow.job.quote.Side;
import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.BookParsers;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code depthflow route --market M --book VENUE=FILE [--book VENUE=FILE ...] [--notional N ...]
 * [--taker-fee-bps VENUE=F,...]}: the optimal split of market orders across the venues' saved REST
 * book responses, fees included, with the best single venue, what routing saves, and the
 * cross-venue dislocations ({@link Liquidity}). Prints one JSON object, numbers as JSON numbers:
 *
 * <pre>{@code
 * {"market", "routes": [{"side", "notional", "complete", "all_in_price", "base_qty",
 *   "legs": [{"exchange", "cash", "base_qty", "levels"}],
 *   "best_single": {"exchange", "all_in_price"} | null, "savings_bps"}],
 *  "arbitrage": [{"buy_exchange", "sell_exchange", "base_qty", "cost", "profit", "profit_bps"}]}
 * }</pre>
 *
 * Routes come buy first, then sell, each in the order of the notionals; legs in venue-name order.
 * Bad arguments: one line, exit 2; a book that cannot be read or parsed: one line, exit 1.
 */
final class RouteCommand {

    /** The picocli model of {@code route}: its options and {@code --help}. */
    static CommandSpec spec() {
        CommandSpec s =
                CommandModel.command(
                        "route",
                        "split market orders across venues' saved REST books, fees included, print JSON",
                        "Prints one JSON object: the optimal split of each order across the venues,"
                                + " the best single venue, the savings and the cross-venue dislocations.");
        CommandModel.value(
                s, "--market", "M", "the books' market, e.g. " + Markets.BTC_USD + " (required)");
        CommandModel.value(
                s,
                "--book",
                "VENUE=FILE",
                "a saved REST book response of VENUE ("
                        + String.join(", ", Exchanges.ALL)
                        + "); one per venue, repeat (required)");
        QuoteCommand.notionalOption(s);
        CommandModel.value(
                s,
                "--taker-fee-bps",
                "V=F,...",
                "taker fees in basis points per venue (default each venue's public base-tier fee,"
                        + " see README \"Liquidity analytics\")");
        return s;
    }

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private RouteCommand() {}

    static int run(String[] argv, PrintStream out) throws UsageException, CommandException {
        ParsedOptions a = CommandModel.parse(spec(), argv);
        String market = a.required("--market");
        try {
            Markets.validate(market);
        } catch (IllegalArgumentException e) {
            throw new UsageException("route: " + e.getMessage());
        }
        if (!a.has("--book")) {
            throw new UsageException("route: --book VENUE=FILE is required (one per venue)");
        }
        Map<String, Path> files = new TreeMap<>();
        for (String spec : a.all("--book")) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new UsageException("route: --book must be VENUE=FILE, got '" + spec + "'");
            }
            String venue = venue(spec.substring(0, eq).trim());
            Path file = Path.of(spec.substring(eq + 1));
            if (files.containsKey(venue)) {
                throw new UsageException("route: --book " + venue + " given twice");
            }
            if (!Files.isRegularFile(file)) {
                throw new UsageException("route: --book " + spec + ": no such file");
            }
            files.put(venue, file);
        }
        List<Long> notionals = QuoteCommand.notionals("route", a);
        TakerFees fees;
        try {
            Map<String, BigDecimal> given = TakerFees.parseEntries(a.get("--taker-fee-bps", null));
            for (String venue : given.keySet()) {
                venue(venue);
            }
            TakerFees f = TakerFees.defaults();
            for (Map.Entry<String, BigDecimal> e : given.entrySet()) {
                f = f.with(e.getKey(), e.getValue());
            }
            fees = f;
        } catch (IllegalArgumentException e) {
            throw new UsageException("route: " + e.getMessage());
        }

        List<OrderBookSnapshot> books = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            String body;
            try {
                body = Files.readString(e.getValue(), StandardCharsets.UTF_8);
            } catch (IOException ex) {
                throw new CommandException(
                        "route: cannot read " + e.getValue() + ": " + Messages.cause(ex));
            }
            try {
                books.add(
                        BookParsers.parse(
                                RawMessage.restResponse(e.getKey(), market, now, 200, body)));
            } catch (BookParseException ex) {
                throw new CommandException("route: " + e.getValue() + ": " + ex.getMessage());
            }
        }
        out.println(toJson(market, books, fees, notionals));
        return 0;
    }

    private static String venue(String name) throws UsageException {
        try {
            return Exchanges.validate(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("route: " + e.getMessage());
        }
    }

    /** The route object for {@code books} (one per venue, same market). */
    static String toJson(
            String market, List<OrderBookSnapshot> books, TakerFees fees, List<Long> notionals) {
        ObjectNode root = JSON.createObjectNode();
        root.put("market", market);
        ArrayNode routes = root.putArray("routes");
        for (Side side : Side.values()) {
            for (long n : notionals) {
                Route r = Liquidity.route(books, fees, side, BigDecimal.valueOf(n));
                ObjectNode o = routes.addObject();
                o.put("side", side.wireName());
                o.put("notional", n);
                o.put("complete", r.complete());
                o.put(
                        "all_in_price",
                        r.allInPrice() == null ? null : QuoteCommand.plain(r.allInPrice()));
                o.put("base_qty", QuoteCommand.plain(r.baseQty()));
                ArrayNode legs = o.putArray("legs");
                for (Route.Leg l : r.legs()) {
                    ObjectNode leg = legs.addObject();
                    leg.put("exchange", l.exchange());
                    leg.put("cash", QuoteCommand.plain(l.cash()));
                    leg.put("base_qty", QuoteCommand.plain(l.baseQty()));
                    leg.put("levels", l.levels());
                }
                if (r.bestSingle() == null) {
                    o.putNull("best_single");
                    o.putNull("savings_bps");
                } else {
                    ObjectNode best = o.putObject("best_single");
                    best.put("exchange", r.bestSingle().exchange());
                    best.put("all_in_price", QuoteCommand.plain(r.bestSingle().allInPrice()));
                    o.put("savings_bps", r.savingsBps());
                }
            }
        }
        ArrayNode arbitrage = root.putArray("arbitrage");
        for (Dislocation d : Liquidity.dislocations(books, fees)) {
            ObjectNode o = arbitrage.addObject();
            o.put("buy_exchange", d.buyExchange());
            o.put("sell_exchange", d.sellExchange());
            o.put("base_qty", QuoteCommand.plain(d.baseQty()));
            o.put("cost", QuoteCommand.plain(d.cost()));
            o.put("profit", QuoteCommand.plain(d.profit()));
            o.put("profit_bps", d.profitBps());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
