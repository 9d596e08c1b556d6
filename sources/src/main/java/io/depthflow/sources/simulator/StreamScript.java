package io.depthflow.sources.simulator;

import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.venue.coinbase.CoinbaseVenue;
import io.depthflow.sources.venue.coinbase.CoinbaseFeedConnection;
import io.depthflow.sources.venue.coinbase.CoinbaseStreamDialect;
import io.depthflow.sources.venue.kraken.KrakenBookView;
import io.depthflow.sources.venue.kraken.KrakenFeedMessages;
import io.depthflow.sources.venue.kraken.KrakenStreamDialect;
import io.depthflow.sources.venue.kraken.KrakenVenue;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.ws.ConnectionEvent;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A recorded WebSocket session of both simulated exchanges, generated in memory: exactly the lines
 * {@code depthflow record} would capture from the simulator's feeds (kind {@code ws} messages,
 * verbatim, and {@code ws_event} connection events), without sockets or clocks. For tests, the
 * {@code verify} command's fixtures and the benchmarks' synthetic feed.
 *
 * <p>Per exchange, one connection: a {@code connected} event; Kraken's status message, then per
 * market its subscribe ack and snapshot; Coinbase's {@code subscriptions} message and one snapshot
 * per market. Then {@code updates} rounds: in each, every market's book takes one step (1 to 4
 * level changes) and each exchange sends that market's update (Kraken only when its subscribed
 * view changed). Heartbeats go out once per second of script time. Received times advance by
 * {@code stepMillis} per round.
 *
 * <p>Faults, each at a round index, with the recovery a correct client performs:
 *
 * <ul>
 *   <li>{@link Builder#corruptKrakenChecksumAt}: the first Kraken update of that round carries a
 *       wrong checksum; then the client unsubscribes and resubscribes that symbol, so the script
 *       continues with the unsubscribe ack, the subscribe ack and a fresh snapshot;
 *   <li>{@link Builder#dropCoinbaseMessageAt}: the first Coinbase update of that round is never
 *       delivered (its {@code sequence_num} is skipped); the next message shows the gap, so the
 *       client reconnects: a {@code connected} event, {@code subscriptions} (sequence 0) and fresh
 *       snapshots follow.
 * </ul>
 *
 * <pre>{@code
 * List<RawMessage> capture = StreamScript.builder().seed(7).updates(500).corruptKrakenChecksumAt(100).build().messages();
 * }</pre>
 */
@PublicEvolving
public final class StreamScript {

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
        boolean kraken = b.exchanges.contains(KrakenVenue.NAME);
        boolean coinbase = b.exchanges.contains(CoinbaseVenue.NAME);
        List<MarketBook> krakenBooks = new ArrayList<>();
        List<KrakenBookView> views = new ArrayList<>();
        List<MarketBook> coinbaseBooks = new ArrayList<>();
        long t = b.start;
        CoinbaseFeedConnection cb = new CoinbaseFeedConnection();
        if (kraken) {
            out.add(ConnectionEvent.CONNECTED.toRawMessage(KrakenVenue.NAME, t, "simulated"));
            out.add(RawMessage.wsMessage(KrakenVenue.NAME, "", t, KrakenFeedMessages.status(1)));
            for (String m : b.markets) {
                MarketBook book = KrakenStreamDialect.book(m, rnd, Math.max(b.krakenDepth + 40, 60));
                KrakenBookView view = new KrakenBookView(m, book, b.krakenDepth, b.krakenNumbersAsStrings);
                krakenBooks.add(book);
                views.add(view);
                out.add(RawMessage.wsMessage(KrakenVenue.NAME, m, t, KrakenFeedMessages.ack("subscribe", m, b.krakenDepth, t, null)));
                out.add(RawMessage.wsMessage(KrakenVenue.NAME, m, t, view.snapshot(WireText.micros(t))));
            }
        }
        if (coinbase) {
            coinbaseConnect(out, cb, b, coinbaseBooks, rnd, t, false);
        }
        long lastHeartbeat = t;
        for (int round = 0; round < b.updates; round++) {
            t += b.stepMillis;
            boolean corrupt = round == b.corruptKrakenChecksumAt;
            boolean drop = round == b.dropCoinbaseMessageAt;
            for (int i = 0; kraken && i < krakenBooks.size(); i++) {
                String m = b.markets.get(i);
                krakenBooks.get(i).step(rnd, 1 + rnd.nextInt(4));
                String update = views.get(i).update(WireText.micros(t));
                if (update == null) {
                    continue;
                }
                if (corrupt) {
                    corrupt = false;
                    out.add(RawMessage.wsMessage(KrakenVenue.NAME, m, t, KrakenFeedMessages.withWrongChecksum(update)));
                    out.add(RawMessage.wsMessage(KrakenVenue.NAME, m, t, KrakenFeedMessages.ack("unsubscribe", m, b.krakenDepth, t, null)));
                    out.add(RawMessage.wsMessage(KrakenVenue.NAME, m, t, KrakenFeedMessages.ack("subscribe", m, b.krakenDepth, t, null)));
                    out.add(RawMessage.wsMessage(KrakenVenue.NAME, m, t, views.get(i).snapshot(WireText.micros(t))));
                } else {
                    out.add(RawMessage.wsMessage(KrakenVenue.NAME, m, t, update));
                }
            }
            boolean reconnect = false;
            for (int i = 0; coinbase && i < coinbaseBooks.size(); i++) {
                String m = b.markets.get(i);
                coinbaseBooks.get(i).step(rnd, 1 + rnd.nextInt(4));
                if (drop) {
                    drop = false;
                    cb.skip();
                    reconnect = true;
                } else {
                    out.add(RawMessage.wsMessage(CoinbaseVenue.NAME, m, t, cb.update(m, coinbaseBooks.get(i), t)));
                }
            }
            if (reconnect) {
                // The client sees the gap on the next message (a heartbeat here) and reconnects.
                out.add(RawMessage.wsMessage(CoinbaseVenue.NAME, "", t, cb.heartbeat(t)));
                cb = new CoinbaseFeedConnection();
                coinbaseConnect(out, cb, b, coinbaseBooks, rnd, t, true);
            }
            if (t - lastHeartbeat >= 1_000) {
                lastHeartbeat = t;
                if (kraken) {
                    out.add(RawMessage.wsMessage(KrakenVenue.NAME, "", t, KrakenFeedMessages.heartbeat()));
                }
                if (coinbase) {
                    out.add(RawMessage.wsMessage(CoinbaseVenue.NAME, "", t, cb.heartbeat(t)));
                }
            }
        }
        return out;
    }

    private static void coinbaseConnect(
            List<RawMessage> out,
            CoinbaseFeedConnection cb,
            Builder b,
            List<MarketBook> books,
            SplittableRandom rnd,
            long t,
            boolean existingBooks) {
        out.add(ConnectionEvent.CONNECTED.toRawMessage(CoinbaseVenue.NAME, t, "simulated"));
        out.add(RawMessage.wsMessage(CoinbaseVenue.NAME, "", t, cb.subscriptions(b.markets, true, t)));
        for (int i = 0; i < b.markets.size(); i++) {
            String m = b.markets.get(i);
            if (!existingBooks) {
                books.add(CoinbaseStreamDialect.book(m, rnd, b.coinbaseLevels));
            }
            out.add(RawMessage.wsMessage(CoinbaseVenue.NAME, m, t, cb.snapshot(m, books.get(i), t)));
        }
    }

    /** Settings of a {@link StreamScript}. */
    @PublicEvolving
    public static final class Builder {
        private long seed = 42;
        private List<String> exchanges = Exchanges.ALL;
        private List<String> markets = List.of(Markets.BTC_USD, Markets.ETH_USD);
        private int krakenDepth = 10;
        private boolean krakenNumbersAsStrings;
        private int coinbaseLevels = 200;
        private int updates = 200;
        private long start = 1_795_175_100_000L;
        private long stepMillis = 100;
        private int corruptKrakenChecksumAt = -1;
        private int dropCoinbaseMessageAt = -1;

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder exchanges(List<String> exchanges) {
            exchanges.forEach(Exchanges::validate);
            this.exchanges = List.copyOf(exchanges);
            return this;
        }

        public Builder markets(List<String> markets) {
            markets.forEach(Markets::validate);
            Preconditions.checkArgument(!markets.isEmpty(), "at least one market");
            this.markets = List.copyOf(markets);
            return this;
        }

        /** Kraken's subscribed depth: 10, 25, 100, 500 or 1000 (default 10). */
        public Builder krakenDepth(int depth) {
            Preconditions.checkArgument(
                    depth == 10 || depth == 25 || depth == 100 || depth == 500 || depth == 1000,
                    "Kraken depth must be 10, 25, 100, 500 or 1000, got %s", depth);
            this.krakenDepth = depth;
            return this;
        }

        /** Kraken prices and quantities as JSON strings instead of JSON numbers (default numbers). */
        public Builder krakenNumbersAsStrings(boolean strings) {
            this.krakenNumbersAsStrings = strings;
            return this;
        }

        /** Levels per side of the Coinbase books (default 200). */
        public Builder coinbaseLevels(int levels) {
            Preconditions.checkArgument(levels >= 20, "at least 20 levels, got %s", levels);
            this.coinbaseLevels = levels;
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

        public Builder corruptKrakenChecksumAt(int round) {
            this.corruptKrakenChecksumAt = round;
            return this;
        }

        public Builder dropCoinbaseMessageAt(int round) {
            this.dropCoinbaseMessageAt = round;
            return this;
        }

        public StreamScript build() {
            return new StreamScript(this);
        }
    }
}
