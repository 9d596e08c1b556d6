package io.depthflow.job.bench;

import io.depthflow.job.book.BookSync;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.simulator.StreamScript;
import io.depthflow.sources.venue.BookChecksum;
import io.depthflow.sources.venue.Venues;
import io.depthflow.sources.venue.kraken.KrakenChecksum;
import io.depthflow.sources.venue.kraken.KrakenVenue;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamParsers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.List;

/**
 * Where a stream-mode message's time goes, per exchange, on the simulator's session of one market
 * ({@value #ROUNDS} rounds; Kraken depth 100, Coinbase 500 levels per side): decoding the JSON
 * alone ({@link StreamParsers}), the whole per-message work of the {@code book-builder} (the decode
 * step's parse, then apply to the book, truncate, verify Kraken's checksum), and the checksum
 * alone. One operation is one message. Complements {@link BookUpdateBenchmark} (the book structure
 * alone) and {@code StreamTopologyThroughput} (the whole job).
 *
 * <pre>./mvnw -B -q -pl job -am test-compile -Pbench -Dbench=StreamMessageBenchmark</pre>
 */
public class StreamMessageBenchmark extends BenchmarkBase {

    static final int ROUNDS = 10_000;

    /** Messages per invocation: the first {@code BATCH} book messages of the session. */
    static final int BATCH = 8_000;

    @Param({"kraken", "coinbase"})
    public String exchange;

    private RawMessage[] messages;
    private final StreamParsers parsers = new StreamParsers();
    private final StreamMessage parsed = new StreamMessage();
    private BookChecksum venueChecksum;
    private final KrakenChecksum checksum = new KrakenChecksum();
    private BookSync fullBook;

    @Setup
    public void setup() {
        venueChecksum = Venues.get(exchange).stream().newChecksum();
        List<RawMessage> session =
                StreamScript.builder()
                        .seed(7)
                        .exchanges(List.of(exchange))
                        .markets(List.of(Markets.BTC_USD))
                        .depth("kraken", 100)
                        .levels("coinbase", UpdateStream.LEVELS_PER_SIDE)
                        .updates(ROUNDS)
                        .build()
                        .messages();
        messages =
                session.stream()
                        .filter(m -> RawMessage.KIND_WS.equals(m.kind) && !m.market.isEmpty())
                        .limit(BATCH)
                        .toArray(RawMessage[]::new);
        if (messages.length != BATCH) {
            throw new IllegalStateException(
                    "the session has only " + messages.length + " book messages");
        }
        fullBook = replay();
        if (!fullBook.isSynced()) {
            throw new IllegalStateException(
                    "the benchmark session does not verify: " + fullBook.failure());
        }
    }

    /** The session's book messages through a fresh book, as the book builder handles them. */
    private BookSync replay() {
        BookSync sync = BookSync.forExchange(exchange);
        if (KrakenVenue.NAME.equals(exchange)) {
            sync.onSubscribed(100);
        }
        for (RawMessage m : messages) {
            try {
                parsers.parse(m.exchange, m.payload, m.market, parsed);
            } catch (BookParseException e) {
                throw new IllegalStateException(e);
            }
            if (parsed.isBook()) {
                sync.apply(parsed, venueChecksum);
            }
        }
        return sync;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int decode() throws BookParseException {
        int levels = 0;
        for (RawMessage m : messages) {
            parsers.parse(m.exchange, m.payload, m.market, parsed);
            levels += parsed.levelCount;
        }
        return levels;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object decodeApplyVerify() {
        return replay();
    }

    @Benchmark
    public long checksumTop10() {
        return checksum.compute(fullBook.book());
    }

    public static void main(String[] args) throws Exception {
        run(StreamMessageBenchmark.class, args);
    }
}
