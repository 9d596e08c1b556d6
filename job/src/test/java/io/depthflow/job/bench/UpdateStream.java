package io.depthflow.job.bench;

import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.simulator.StreamScript;
import io.depthflow.sources.venue.coinbase.CoinbaseVenue;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamParsers;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * A realistic L2 update stream of one book, the same for every book implementation benchmarked: the
 * simulator's Coinbase Advanced {@code level2} session for BTC-USD ({@link StreamScript}: a
 * snapshot of about 500 levels per side, then updates of 1 to 4 level changes, mostly at and near
 * the top, levels appearing and vanishing, the best level sometimes consumed), parsed by the job's
 * own WebSocket parser. Each level change keeps its exact wire value both ways: unscaled {@code
 * long} with its own scale (what depthflow's book takes) and the literal text (what a {@code
 * BigDecimal} book parses).
 */
public final class UpdateStream {

    /** Levels per side of the simulated book, as the simulator's live Coinbase feed has them. */
    public static final int LEVELS_PER_SIDE = 500;

    /** The snapshot's levels, bids then asks, as on the wire. */
    public final Levels snapshot;

    /** Every update's level changes in wire order (size 0 removes the level). */
    public final Levels changes;

    /** Number of update messages the changes came in. */
    public final int messages;

    private UpdateStream(Levels snapshot, Levels changes, int messages) {
        this.snapshot = snapshot;
        this.changes = changes;
        this.messages = messages;
    }

    /** The Coinbase BTC-USD session of {@code rounds} update rounds from {@code seed}. */
    public static UpdateStream coinbase(long seed, int rounds) {
        List<RawMessage> script =
                StreamScript.builder()
                        .seed(seed)
                        .exchanges(List.of(CoinbaseVenue.NAME))
                        .markets(List.of(Markets.BTC_USD))
                        .levels("coinbase", LEVELS_PER_SIDE)
                        .updates(rounds)
                        .build()
                        .messages();
        StreamParsers parsers = new StreamParsers();
        StreamMessage m = new StreamMessage();
        Levels snapshot = null;
        Levels changes = new Levels(rounds * 3);
        int messages = 0;
        for (RawMessage raw : script) {
            if (!RawMessage.KIND_WS.equals(raw.kind) || raw.market.isEmpty()) {
                continue;
            }
            try {
                parsers.parse(raw.exchange, raw.payload, raw.market, m);
            } catch (BookParseException e) {
                throw new IllegalStateException(
                        "the simulator wrote a message its parser rejects: " + raw.payload, e);
            }
            if (m.type == StreamMessage.Type.BOOK_SNAPSHOT) {
                if (snapshot != null) {
                    throw new IllegalStateException(
                            "a second snapshot: the stream is meant to be one clean session");
                }
                snapshot = new Levels(m.levelCount);
                snapshot.addAll(m);
            } else if (m.type == StreamMessage.Type.BOOK_UPDATE) {
                if (snapshot == null) {
                    throw new IllegalStateException("an update before the snapshot");
                }
                changes.addAll(m);
                messages++;
            }
        }
        if (snapshot == null) {
            throw new IllegalStateException("the session has no snapshot");
        }
        return new UpdateStream(snapshot.trim(), changes.trim(), messages);
    }

    /** Level changes in parallel arrays; the text is exactly the wire's digits. */
    public static final class Levels {
        public int count;
        public boolean[] bid;
        public long[] price;
        public int[] priceScale;
        public long[] size;
        public int[] sizeScale;
        public String[] priceText;
        public String[] sizeText;
        public BigDecimal[] priceDecimal;
        public BigDecimal[] sizeDecimal;

        Levels(int capacity) {
            bid = new boolean[capacity];
            price = new long[capacity];
            priceScale = new int[capacity];
            size = new long[capacity];
            sizeScale = new int[capacity];
            priceText = new String[capacity];
            sizeText = new String[capacity];
            priceDecimal = new BigDecimal[capacity];
            sizeDecimal = new BigDecimal[capacity];
        }

        void addAll(StreamMessage m) {
            for (int i = 0; i < m.levelCount; i++) {
                if (count == bid.length) {
                    resize(Math.max(16, count * 2));
                }
                bid[count] = m.isBid(i);
                price[count] = m.price(i);
                priceScale[count] = m.priceScale(i);
                size[count] = m.size(i);
                sizeScale[count] = m.sizeScale(i);
                priceDecimal[count] = BigDecimal.valueOf(price[count], priceScale[count]);
                sizeDecimal[count] = BigDecimal.valueOf(size[count], sizeScale[count]);
                priceText[count] = priceDecimal[count].toPlainString();
                sizeText[count] = sizeDecimal[count].toPlainString();
                count++;
            }
        }

        Levels trim() {
            resize(count);
            return this;
        }

        private void resize(int n) {
            bid = Arrays.copyOf(bid, n);
            price = Arrays.copyOf(price, n);
            priceScale = Arrays.copyOf(priceScale, n);
            size = Arrays.copyOf(size, n);
            sizeScale = Arrays.copyOf(sizeScale, n);
            priceText = Arrays.copyOf(priceText, n);
            sizeText = Arrays.copyOf(sizeText, n);
            priceDecimal = Arrays.copyOf(priceDecimal, n);
            sizeDecimal = Arrays.copyOf(sizeDecimal, n);
        }
    }
}
