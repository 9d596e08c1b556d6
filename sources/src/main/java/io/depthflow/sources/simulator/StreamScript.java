package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.venue.Venue;
import io.depthflow.sources.venue.Venues;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A recorded WebSocket session of simulated venues, generated in memory: exactly the lines {@code
 * depthflow record} would capture from the simulator's feeds (kind {@code ws} messages, verbatim,
 * and {@code ws_event} connection events), without sockets or clocks. For tests, the {@code verify}
 * command's fixtures and the benchmarks' synthetic feed.
 *
 * <p>Each venue's part is its dialect's {@link ScriptedFeed} ({@link StreamDialect#script}); this
 * class names no venue. Per venue, one connection: {@link ScriptedFeed#open} (a {@code connected}
 * event, acks, one snapshot per market), then {@code updates} rounds, in each of which every venue,
 * in the order of {@link Builder#exchanges}, steps each market's book (1 to 4 level changes) and
 * sends what changed. Heartbeats go out once per second of script time. Received times advance by
 * {@code stepMillis} per round. All venues draw from one random source in that order, so a seed and
 * the venue list give the same session every time.
 *
 * <p>Faults ({@link Builder#fault}), each at a round index, with the recovery a correct client
 * performs, as the venue's feed defines them: {@link StreamFault#CORRUPT_CHECKSUM} (the round's
 * first update carries a wrong checksum, the client resubscribes; Kraken), {@link
 * StreamFault#DROP_MESSAGE} (the round's first update is lost, the next message shows the gap, the
 * client reconnects; Coinbase).
 *
 * <pre>{@code
 * List<RawMessage> capture = StreamScript.builder().seed(7).updates(500)
 *         .fault("kraken", StreamFault.CORRUPT_CHECKSUM, 100).build().messages();
 * }</pre>
 */
@PublicEvolving
public final class StreamScript {

    /**
     * The venues scripted when none are chosen, in this order (it decides the random sequence, so
     * the recorded expectations of tests and benchmarks hold). A configuration default.
     */
    public static final List<String> DEFAULT_EXCHANGES = List.of("kraken", "coinbase");

    private final List<RawMessage> messages;

    private StreamScript(Builder b) {
        this.messages = generate(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The session, in arrival order. */
    public List<RawMessage> messages() {
        return messages;
    }

    private static List<RawMessage> generate(Builder b) {
        List<RawMessage> out = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(b.seed);
        Map<String, ScriptedFeed> feeds = new LinkedHashMap<>();
        for (String exchange : b.exchanges) {
            Venue venue = Venues.get(exchange);
            ScriptedFeed feed =
                    venue.streamDialect()
                            .script(
                                    new ScriptSettings(
                                            b.markets,
                                            rnd,
                                            b.depths.getOrDefault(
                                                    exchange, venue.stream().defaultDepth()),
                                            b.levels.getOrDefault(exchange, Builder.DEFAULT_LEVELS),
                                            b.options));
            Preconditions.checkArgument(
                    feed != null, "%s has no scripted feed (StreamDialect.script)", exchange);
            feeds.put(exchange, feed);
        }
        long t = b.start;
        for (ScriptedFeed feed : feeds.values()) {
            feed.open(t, out);
        }
        long lastHeartbeat = t;
        for (int round = 0; round < b.updates; round++) {
            t += b.stepMillis;
            for (Map.Entry<String, ScriptedFeed> e : feeds.entrySet()) {
                Map<Integer, StreamFault> faults = b.faults.get(e.getKey());
                e.getValue().round(t, faults == null ? null : faults.get(round), out);
            }
            if (t - lastHeartbeat >= 1_000) {
                lastHeartbeat = t;
                for (ScriptedFeed feed : feeds.values()) {
                    feed.heartbeat(t, out);
                }
            }
        }
        return out;
    }

    /** Settings of a {@link StreamScript}. */
    @PublicEvolving
    public static final class Builder {
        static final int DEFAULT_LEVELS = 200;

        private long seed = 42;
        private List<String> exchanges = DEFAULT_EXCHANGES;
        private List<String> markets = List.of(Markets.BTC_USD, Markets.ETH_USD);
        private final Map<String, Integer> depths = new HashMap<>();
        private final Map<String, Integer> levels = new HashMap<>();
        private final Map<String, String> options = new HashMap<>();
        private final Map<String, Map<Integer, StreamFault>> faults = new HashMap<>();
        private int updates = 200;
        private long start = 1_795_175_100_000L;
        private long stepMillis = 100;

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The scripted venues, in this order (default {@link #DEFAULT_EXCHANGES}); each needs a
         * scripted feed.
         */
        public Builder exchanges(List<String> exchanges) {
            for (String e : exchanges) {
                Venue v = Venues.get(e);
                Preconditions.checkArgument(
                        v.streamDialect()
                                        .script(
                                                new ScriptSettings(
                                                        List.of(),
                                                        new SplittableRandom(0),
                                                        v.stream().defaultDepth(),
                                                        DEFAULT_LEVELS,
                                                        Map.of()))
                                != null,
                        "%s has no scripted feed (StreamDialect.script)",
                        e);
            }
            this.exchanges = List.copyOf(exchanges);
            return this;
        }

        public Builder markets(List<String> markets) {
            markets.forEach(Markets::validate);
            Preconditions.checkArgument(!markets.isEmpty(), "at least one market");
            this.markets = List.copyOf(markets);
            return this;
        }

        /**
         * A venue's subscribed depth, one of its {@code StreamProtocol.depths()} (default its
         * default depth).
         */
        public Builder depth(String exchange, int depth) {
            List<Integer> allowed = Venues.get(exchange).stream().depths();
            Preconditions.checkArgument(
                    allowed.contains(depth),
                    "%s depth must be one of %s, got %s",
                    exchange,
                    allowed,
                    depth);
            depths.put(exchange, depth);
            return this;
        }

        /**
         * Levels per side of a venue's books, for a venue whose book is not its subscribed depth
         * (default 200).
         */
        public Builder levels(String exchange, int levels) {
            Venues.get(exchange);
            Preconditions.checkArgument(levels >= 20, "at least 20 levels, got %s", levels);
            this.levels.put(exchange, levels);
            return this;
        }

        /**
         * A venue's option, as for the simulator ({@link StreamSimulator.Builder#option}): keys
         * prefixed with the venue's name, e.g. {@code kraken.numbers-as-strings=true}.
         */
        public Builder option(String key, String value) {
            options.put(
                    Preconditions.checkNotNull(key, "key"),
                    Preconditions.checkNotNull(value, "value"));
            return this;
        }

        /** Update rounds (default 200). */
        public Builder updates(int updates) {
            Preconditions.checkArgument(updates >= 0, "updates must be >= 0");
            this.updates = updates;
            return this;
        }

        /** Received time of the first message, UTC epoch ms. */
        public Builder start(long epochMs) {
            this.start = epochMs;
            return this;
        }

        /** Received-time step per round (default 100 ms). */
        public Builder stepMillis(long stepMillis) {
            Preconditions.checkArgument(stepMillis > 0, "stepMillis must be positive");
            this.stepMillis = stepMillis;
            return this;
        }

        /**
         * {@code fault} in {@code exchange}'s first update of round {@code round}, with the
         * recovery a correct client performs ({@link ScriptedFeed#round}).
         */
        public Builder fault(String exchange, StreamFault fault, int round) {
            Venues.get(exchange);
            faults.computeIfAbsent(exchange, k -> new HashMap<>())
                    .put(round, Preconditions.checkNotNull(fault, "fault"));
            return this;
        }

        public StreamScript build() {
            return new StreamScript(this);
        }
    }
}
