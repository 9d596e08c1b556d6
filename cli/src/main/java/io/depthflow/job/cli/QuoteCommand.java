package io.depthflow.job.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.depthflow.job.liquidity.AllInQuote;
import io.depthflow.job.liquidity.Band;
import io.depthflow.job.liquidity.Liquidity;
import io.depthflow.job.liquidity.TakerFees;
import io.depthflow.job.options.CommandModel;
import io.depthflow.job.options.ParsedOptions;
import io.depthflow.job.options.UsageException;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.job.quote.Walk;
import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.BookParsers;
import io.depthflow.sources.venue.Venues;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code depthflow quote --exchange VENUE --market M --book FILE [--notional N ...]
 * [--taker-fee-bps F] [--bands 10,25,...]}: prices market orders on one saved REST book response
 * and prints one JSON object: the fee-free quotes (as the job's {@code execution_quotes_1m}), their
 * all-in (fee-inclusive) counterparts and the depth bands ({@link Liquidity}). Uses the same parser
 * and walk as the job. Without {@code --notional}, the slippage ladder {@link
 * Liquidity#DEFAULT_NOTIONALS_USD}; without {@code --taker-fee-bps}, the venue's public base-tier
 * fee.
 */
final class QuoteCommand {

    /** The picocli model of {@code quote}: its options and {@code --help}. */
    static CommandSpec spec() {
        CommandSpec s =
                CommandModel.command(
                        "quote",
                        "price market orders on one saved REST book response, print JSON",
                        "Prints one JSON object: the fee-free quotes, their all-in (fee-inclusive)"
                                + " counterparts and the depth bands.");
        CommandModel.value(
                s,
                "--exchange",
                "VENUE",
                "the venue of the book: " + String.join("|", Venues.names()) + " (required)");
        CommandModel.value(
                s, "--market", "M", "the book's market, e.g. " + Markets.BTC_USD + " (required)");
        CommandModel.value(
                s, "--book", "FILE", "a saved REST book response of that exchange (required)");
        notionalOption(s);
        CommandModel.value(
                s,
                "--taker-fee-bps",
                "F",
                "the taker fee in basis points for the all-in prices (default the venue's public"
                        + " base-tier fee, e.g. "
                        + Exchanges.DEFAULTS.get(0)
                        + " "
                        + TakerFees.defaults()
                                .feeBps(Exchanges.DEFAULTS.get(0))
                                .stripTrailingZeros()
                                .toPlainString()
                        + ")");
        CommandModel.value(
                s,
                "--bands",
                "B,B,...",
                "depth bands in bps around the mid (default "
                        + String.join(
                                ",",
                                java.util.Arrays.stream(Liquidity.DEFAULT_BANDS_BPS)
                                        .mapToObj(String::valueOf)
                                        .toList())
                        + ")");
        return s;
    }

    /** {@code --notional}, shared with {@code route}. */
    static void notionalOption(CommandSpec s) {
        CommandModel.value(
                s,
                "--notional",
                "N",
                "a market order of N USD, fees included; repeat or list (default "
                        + String.join(
                                ",",
                                Liquidity.DEFAULT_NOTIONALS_USD.stream()
                                        .map(String::valueOf)
                                        .toList())
                        + ")");
    }

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private QuoteCommand() {}

    static int run(String[] argv, PrintStream out) throws UsageException, CommandException {
        ParsedOptions a = CommandModel.parse(spec(), argv);
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
        List<Long> notionals = notionals("quote", a);
        BigDecimal fee;
        try {
            fee =
                    a.has("--taker-fee-bps")
                            ? TakerFees.parseBps(exchange, a.get("--taker-fee-bps", null))
                            : TakerFees.defaults().feeBps(exchange);
        } catch (IllegalArgumentException e) {
            throw new UsageException("quote: " + e.getMessage());
        }
        int[] bands = bands("quote", a);
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
        out.println(toJson(book, notionals, fee, bands));
        return 0;
    }

    /** {@code --notional} values (repeated or comma-separated), else the slippage ladder. */
    static List<Long> notionals(String command, ParsedOptions a) throws UsageException {
        List<Long> notionals = new ArrayList<>();
        for (String n : a.list("--notional", List.of())) {
            notionals.add(a.positiveLong("--notional", n));
        }
        if (a.has("--notional") && notionals.isEmpty()) {
            throw new UsageException(command + ": --notional must name at least one notional");
        }
        return notionals.isEmpty() ? Liquidity.DEFAULT_NOTIONALS_USD : notionals;
    }

    /** {@code --bands}: positive whole basis points, else {@link Liquidity#DEFAULT_BANDS_BPS}. */
    static int[] bands(String command, ParsedOptions a) throws UsageException {
        if (!a.has("--bands")) {
            return Liquidity.DEFAULT_BANDS_BPS.clone();
        }
        List<String> list = a.list("--bands", List.of());
        if (list.isEmpty()) {
            throw new UsageException(command + ": --bands must name at least one band in bps");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            long b = a.positiveLong("--bands", list.get(i));
            if (b >= 10_000) {
                throw new UsageException(
                        command + ": --bands must be below 10000 bps, got '" + list.get(i) + "'");
            }
            out[i] = (int) b;
        }
        return out;
    }

    /** The JSON object of one book: fee-free and all-in quotes at the fee {@code feeBps}, bands. */
    static String toJson(
            OrderBookSnapshot book, List<Long> notionals, BigDecimal feeBps, int[] bands) {
        ObjectNode root = JSON.createObjectNode();
        BigDecimal mid = book.mid();
        root.put("exchange", book.exchange);
        root.put("market", book.market);
        root.put("best_bid", book.bestBid());
        root.put("best_ask", book.bestAsk());
        root.put("mid", mid);
        root.put("spread_bps", BookWalker.spreadBps(book.bestBid(), book.bestAsk()));
        root.put("taker_fee_bps", number(feeBps));
        ArrayNode depth = root.putArray("depth");
        for (Band b : Liquidity.depthBands(book, bands)) {
            ObjectNode o = depth.addObject();
            o.put("band_bps", b.bandBps());
            o.put("bid_qty", plain(b.bidQty()));
            o.put("bid_notional", plain(b.bidNotional()));
            o.put("ask_qty", plain(b.askQty()));
            o.put("ask_notional", plain(b.askNotional()));
            o.put("imbalance", b.imbalance() == null ? null : plain(b.imbalance()));
        }
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
                AllInQuote all = Liquidity.allIn(book, side, BigDecimal.valueOf(n), feeBps);
                q.put("all_in_price", all.allInPrice() == null ? null : plain(all.allInPrice()));
                q.put("all_in_base_qty", plain(all.baseQty()));
                q.put("all_in_complete", all.complete());
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An exact input (a fee) as a JSON number without trailing zeros. */
    static BigDecimal number(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    /** As stored in ClickHouse: 18 fraction digits, trailing zeros dropped. */
    static BigDecimal plain(BigDecimal v) {
        BigDecimal s = BookWalker.toStored(v).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
