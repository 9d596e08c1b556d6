package io.depthflow.sources.markets;

import org.apache.flink.annotation.Internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Remembers what a name check returned for the symbols seen, so that the check (a regular
 * expression in {@link Markets}) runs once per symbol rather than once per message. Bounded: a feed
 * of ever new symbols clears it rather than growing it. A symbol the check rejects is not kept. One
 * instance per parser (not thread-safe).
 */
@Internal
public final class NameCache {

    private static final int MAX_ENTRIES = 1_024;

    private final UnaryOperator<String> check;
    private final Map<String, String> names = new HashMap<>();

    /**
     * @param check returns the canonical name, or throws for a symbol that is not one
     */
    public NameCache(UnaryOperator<String> check) {
        this.check = check;
    }

    public String of(String symbol) {
        String name = names.get(symbol);
        if (name == null) {
            name = check.apply(symbol);
            if (names.size() >= MAX_ENTRIES) {
                names.clear();
            }
            names.put(symbol, name);
        }
        return name;
    }
}
