package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Arrays;
import java.util.Locale;

/**
 * Failures the {@link ExchangeSimulator} can serve instead of a normal book, one per request, in
 * the order injected. Each is written in the exchange's own wire format; the last column says what
 * {@code BookParsers} makes of it.
 *
 * <table>
 *   <caption>Faults</caption>
 *   <tr><th>Fault</th><th>Coinbase</th><th>Kraken</th><th>Parsed as</th></tr>
 *   <tr><td>{@link #HTTP_429}</td><td>429 + Retry-After, {@code {"message":"Too Many Requests"}}</td>
 *       <td>429 + Retry-After, {@code {"error":["EGeneral:Too many requests"]}}</td><td>http_status</td></tr>
 *   <tr><td>{@link #HTTP_500}</td><td>500 {@code {"message":"Internal Server Error"}}</td>
 *       <td>500 HTML page (as a proxy would send)</td><td>http_status</td></tr>
 *   <tr><td>{@link #SLOW}</td><td colspan="2">the normal book after the slow delay, past a client's
 *       timeout</td><td>transport (timeout)</td></tr>
 *   <tr><td>{@link #MALFORMED_JSON}</td><td colspan="2">200, the normal body cut in half</td><td>malformed</td></tr>
 *   <tr><td>{@link #EXCHANGE_ERROR}</td><td>400 {@code {"message":"Invalid request format"}}</td>
 *       <td>200 {@code {"error":["EService:Unavailable"]}}</td><td>http_status / exchange_error</td></tr>
 *   <tr><td>{@link #CROSSED_BOOK}</td><td colspan="2">200, a bid one tick above the best ask</td><td>crossed_book</td></tr>
 *   <tr><td>{@link #EMPTY_BOOK}</td><td colspan="2">200, no bids</td><td>empty_book</td></tr>
 * </table>
 */
@PublicEvolving
public enum Fault {
    HTTP_429,
    HTTP_500,
    SLOW,
    MALFORMED_JSON,
    EXCHANGE_ERROR,
    CROSSED_BOOK,
    EMPTY_BOOK;

    /** The name used by the HTTP control endpoint: {@code http_500}, {@code malformed_json}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The fault of a {@link #wireName()} (case-insensitive). */
    public static Fault fromWireName(String name) {
        for (Fault fault : values()) {
            if (fault.name().equalsIgnoreCase(name)) {
                return fault;
            }
        }
        throw new IllegalArgumentException(
                "unknown fault '"
                        + name
                        + "': expected one of "
                        + Arrays.stream(values()).map(Fault::wireName).toList());
    }
}
