package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Map;

/**
 * One venue's REST wire format in the {@link ExchangeSimulator}, served under {@code
 * http://127.0.0.1:P/<venue>}. The simulator owns what all venues share (request counting, the
 * fault queue, moving books, {@link Fault#SLOW}, {@link Fault#MALFORMED_JSON} truncation, {@link
 * Fault#CROSSED_BOOK} and {@link Fault#EMPTY_BOOK} applied to the book); the dialect owns the
 * paths, parameters and bodies, including the venue's own error bodies. Stateless.
 *
 * <p>Per request: {@link #read} (null: {@link #notFound()}, not counted); then a queued fault that
 * replaces the answer ({@link #fault}); then an unknown market ({@link #unknownMarket}) or an
 * invalid parameter ({@link BookRequest#invalid}); else a book of {@link BookRequest#depth} levels
 * per side, written by {@link #body}.
 */
@PublicEvolving
public interface RestDialect {

    /**
     * What a book request asks for: the market ({@code null} when {@code symbol} names none), the
     * levels per side of the book to generate, an answer for an invalid parameter, and a
     * dialect-specific {@code variant} the body needs (Coinbase's {@code level}). Build it with the
     * factories.
     */
    record BookRequest(
            String market, String symbol, int depth, SimResponse invalid, String variant) {
        /**
         * A valid request for {@code market} ({@code null} when {@code symbol} names no market).
         */
        public static BookRequest of(String market, String symbol, int depth) {
            return new BookRequest(market, symbol, depth, null, null);
        }

        /** A request the venue rejects with {@code answer} (a bad parameter). */
        public static BookRequest invalid(String market, String symbol, SimResponse answer) {
            return new BookRequest(market, symbol, 0, answer, null);
        }

        /** This request with a dialect-specific variant for {@link RestDialect#body}. */
        public BookRequest withVariant(String variant) {
            return new BookRequest(market, symbol, depth, invalid, variant);
        }
    }

    /**
     * Reads a request: {@code path} after the venue prefix ({@code /api/v2/order_book/btcusd}),
     * {@code query} decoded. Null when the path is not the venue's book endpoint.
     */
    BookRequest read(String path, Map<String, String> query);

    /** The venue's answer to a path it does not serve. */
    SimResponse notFound();

    /** The venue's answer to a book request for a symbol that names no served market. */
    SimResponse unknownMarket(String symbol);

    /**
     * The venue's answer for {@link Fault#HTTP_429} (the simulator adds {@code Retry-After}),
     * {@link Fault#HTTP_500} and {@link Fault#EXCHANGE_ERROR}, in its own format.
     */
    SimResponse fault(Fault fault);

    /** The 200 body with {@code book} (best first, prices at {@link SimulatedBooks#SCALE}). */
    String body(SimulatedBooks.Book book, String market, BookRequest request, long nowMillis);

    /** The venue's price tick of {@code market}, in units of 1e-{@value SimulatedBooks#SCALE}. */
    default long tick(String market) {
        return 1_000L;
    }
}
