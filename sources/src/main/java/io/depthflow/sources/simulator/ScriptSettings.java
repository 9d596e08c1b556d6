package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What a {@link StreamScript} gives one venue's {@link ScriptedFeed}: the markets, the script's
 * single random source (shared by all venues, in the script's venue order, so a seed always gives
 * the same session), the subscribed depth, the book levels and the venue's own options.
 */
@PublicEvolving
public final class ScriptSettings {

    private final List<String> markets;
    private final SplittableRandom random;
    private final int depth;
    private final int levels;
    private final Map<String, String> options;

    ScriptSettings(
            List<String> markets,
            SplittableRandom random,
            int depth,
            int levels,
            Map<String, String> options) {
        this.markets = List.copyOf(markets);
        this.random = random;
        this.depth = depth;
        this.levels = levels;
        this.options = Map.copyOf(options);
    }

    public List<String> markets() {
        return markets;
    }

    public SplittableRandom random() {
        return random;
    }

    /** The subscribed depth ({@link StreamScript.Builder#depth}, else the venue's default). */
    public int depth() {
        return depth;
    }

    /** Levels per side of the venue's books ({@link StreamScript.Builder#levels}, default 200). */
    public int levels() {
        return levels;
    }

    /**
     * A venue option ({@link StreamScript.Builder#option}), keys prefixed with the venue's name;
     * null when unset.
     */
    public String option(String key) {
        return options.get(key);
    }
}
