package io.depthflow.sources.venue;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.venue.bitfinex.BitfinexVenue;
import io.depthflow.sources.venue.bitstamp.BitstampVenue;
import io.depthflow.sources.venue.coinbase.CoinbaseVenue;
import io.depthflow.sources.venue.gemini.GeminiVenue;
import io.depthflow.sources.venue.kraken.KrakenVenue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of venues: adding a venue is its package plus one line in {@link #ALL}
 * (sources/README.md, "Adding a venue"). Order is the default order of {@code --exchanges} and of
 * every listing; names are unique.
 */
@PublicEvolving
public final class Venues {

    /** Every registered venue, in a stable order. One line per venue. */
    public static final List<Venue> ALL =
            List.of(
                    CoinbaseVenue.INSTANCE,
                    KrakenVenue.INSTANCE,
                    BitstampVenue.INSTANCE,
                    GeminiVenue.INSTANCE,
                    BitfinexVenue.INSTANCE);

    /** The venues polled and streamed when none are chosen. */
    public static final List<String> DEFAULT_NAMES = List.of(CoinbaseVenue.NAME, KrakenVenue.NAME);

    private static final Map<String, Venue> BY_NAME = index();

    private Venues() {}

    /** The names of {@link #ALL}, in order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** Whether {@code name} is a registered venue. */
    public static boolean contains(String name) {
        return name != null && BY_NAME.containsKey(name);
    }

    /**
     * The venue called {@code name}; throws {@link IllegalArgumentException} naming the registered
     * ones otherwise.
     */
    public static Venue get(String name) {
        Venue venue = name == null ? null : BY_NAME.get(name);
        if (venue == null) {
            throw new IllegalArgumentException(
                    "unknown exchange '" + name + "': expected one of " + names());
        }
        return venue;
    }

    private static Map<String, Venue> index() {
        Map<String, Venue> byName = new LinkedHashMap<>();
        for (Venue v : ALL) {
            if (!v.name().matches("[a-z]+")) {
                throw new IllegalStateException(
                        "venue name must be lower-case letters: " + v.name());
            }
            if (byName.put(v.name(), v) != null) {
                throw new IllegalStateException("venue registered twice: " + v.name());
            }
        }
        return byName;
    }
}
