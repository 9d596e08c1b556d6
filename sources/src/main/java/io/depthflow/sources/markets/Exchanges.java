package io.depthflow.sources.markets;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;

/**
 * The exchanges depthflow reads, by the names used everywhere downstream (the {@code exchange}
 * field of every model class, the ClickHouse {@code exchange} column, capture files).
 */
@PublicEvolving
public final class Exchanges {

    /** Coinbase Exchange (REST {@code api.exchange.coinbase.com}). */
    public static final String COINBASE = "coinbase";

    /** Kraken spot (REST {@code api.kraken.com}). */
    public static final String KRAKEN = "kraken";

    /** Every supported exchange, in a stable order. */
    public static final List<String> ALL = List.of(COINBASE, KRAKEN);

    private Exchanges() {}

    /**
     * Returns {@code exchange} when it is one of {@link #ALL}, else throws {@link
     * IllegalArgumentException} naming the supported values.
     */
    public static String validate(String exchange) {
        if (exchange == null || !ALL.contains(exchange)) {
            throw new IllegalArgumentException(
                    "unknown exchange '" + exchange + "': expected one of " + ALL);
        }
        return exchange;
    }
}
