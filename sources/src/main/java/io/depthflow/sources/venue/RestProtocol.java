package io.depthflow.sources.venue;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.rest.RateLimit;

import java.net.URI;

/**
 * A venue's REST order book: what to request and how to read the answer. Stateless and thread-safe.
 * The shared poller ({@code rest.BookPoller}) does scheduling, rate limiting, retries and timeouts;
 * the shared {@code parse.BookParsers} routes by {@code raw.exchange} to {@link #parse}.
 */
@PublicEvolving
public interface RestProtocol {

    /**
     * The documented production base URL, without a trailing slash ({@code
     * https://www.bitstamp.net}).
     */
    String defaultBaseUrl();

    /** The client-side limit that keeps one subtask within the venue's documented public limit. */
    RateLimit defaultRateLimit();

    /**
     * The book request of a canonical market ({@code BTC/USD}) under {@code baseUrl} (the default
     * or a simulator's {@code http://127.0.0.1:P/<venue>}).
     *
     * @param depthCount levels per side wanted, for venues that take it as a parameter (Kraken's
     *     {@code count}); others ignore it and ask for their whole (or documented maximum) book
     */
    URI bookUri(String baseUrl, String market, int depthCount);

    /**
     * The largest {@code depthCount} the venue's book request takes (the {@code
     * source.rest.<venue>.depth-count} bound). Default: no bound (the venue ignores the count).
     */
    default int maxDepthCount() {
        return Integer.MAX_VALUE;
    }

    /**
     * Reads one response (kind {@code rest_book}, with a response) into a validated snapshot with
     * exact scaled longs, best first, or throws {@link BookParseException} with the {@code
     * IngestError} type: {@code http_status} for a non-200 answer, {@code exchange_error} for an
     * error the venue reports in a 200 body, {@code malformed} for a body that is not the
     * documented shape, {@code empty_book} / {@code crossed_book}. Use {@code parse.StrictJson} and
     * {@code parse.BookNormalizer}; never read a price through {@code double}.
     */
    OrderBookSnapshot parse(RawMessage raw) throws BookParseException;

    /**
     * When a 200 body names its market (a symbol or product field), the reason it is not {@code
     * market}'s book, else null (the capture validator rejects such lines). Default: no check.
     */
    default String marketMismatch(String market, String payload) {
        return null;
    }
}
