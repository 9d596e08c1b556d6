package io.depthflow.sources.markets;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.venue.Venues;

import java.util.List;

/**
 * The exchange names used everywhere downstream (the {@code exchange} field of every model class,
 * the ClickHouse {@code exchange} column, capture files): the names of the registered venues
 * ({@link Venues}). Kept for the callers that only need names.
 */
@PublicEvolving
public final class Exchanges {

    /** Every registered exchange, in registration order. */
    public static final List<String> ALL = Venues.names();

    /** The exchanges used when none are chosen ({@code --exchanges} default). */
    public static final List<String> DEFAULTS = Venues.DEFAULT_NAMES;

    private Exchanges() {}

    /**
     * Returns {@code exchange} when it is a registered venue, else throws {@link
     * IllegalArgumentException} naming the registered ones.
     */
    public static String validate(String exchange) {
        return Venues.get(exchange).name();
    }
}
