package io.depthflow.sources.ws;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.venue.ConnectionSequence;
import io.depthflow.sources.venue.StreamDecoder;
import io.depthflow.sources.venue.StreamProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * One supervised WebSocket connection to one venue's book feed (JDK {@link java.net.http.WebSocket}
 * client), for all markets of that venue. It knows no venue by name: the venue's {@link
 * StreamProtocol} says what to send and how to read and check what arrives. It hands every message,
 * as received, to a {@link Sink} as a {@link RawMessage} of kind {@code ws} (payload verbatim,
 * received time from the {@link SourceClock}, market from the message, one copy per market when a
 * message names several, market empty for connection-level messages), preceded by connection events
 * of kind {@code ws_event} ({@link ConnectionEvent}).
 *
 * <p>A received time is taken when the message is read, under the lock that then hands it to the
 * sink (so before any wait for room in the sink), and never goes backwards within the feed; an idle
 * feed's supervisor hands over {@link Sink#progress} promises between messages. So the times
 * reaching the sink are non-decreasing, and each is a valid watermark for the feed (see {@code
 * WsBookRecordEmitter}).
 *
 * <p>Lifecycle (Kraken's reconnection guide, exchanges.md §5.7; Coinbase §3):
 *
 * <ol>
 *   <li>Connect; on open emit {@code connected} and send the venue's {@link
 *       StreamProtocol#subscribe} messages for every market.
 *   <li>Per message: with a sequence ({@link StreamProtocol#newSequence}), a gap makes the
 *       connection start over (close, reconnect, resubscribe: fresh snapshots for every book). With
 *       a checksum, book messages go through the {@link BookVerifier} (the job's book and checksum
 *       code); a failed book gets the venue's {@link StreamProtocol#resubscribe} messages
 *       (per-market backoff, so a persistent failure cannot spin), or the connection starts over
 *       when the venue has none.
 *   <li>Supervision, once a second: a {@link Sink#progress} promise (when no hand-over is under
 *       way); no message of any kind for {@code staleAfter} → emit {@code stale}, close, reconnect.
 *       Venues that need an application-level ping ({@link StreamProtocol#ping}, Kraken: "servers
 *       close inactive connections after approximately one minute") get one every {@code
 *       pingInterval}.
 *   <li>An unexpected close or error → emit {@code disconnected}, reconnect after an exponential
 *       backoff with jitter (initial, doubling, capped; reset once a snapshot arrives).
 * </ol>
 *
 * Thread model: the HTTP client's threads deliver the listener callbacks (serialized per socket,
 * and the sink may block them: that is the back-pressure), one scheduler thread supervises and
 * reconnects. Old sockets' callbacks are ignored by generation number.
 */
@Internal
public final class FeedConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedConnection.class);

    /** Receives the messages and events, in order. May block (back-pressure). */
    @FunctionalInterface
    public interface Sink {
        void accept(RawMessage message) throws InterruptedException;

        /**
         * A promise, in order with the messages: no later message of this feed will carry a
         * received time below {@code time}. Must not block (drop it when there is no room: the
         * messages waiting carry their own times). Called about once per supervision period.
         */
        default void progress(String exchange, long time) {}
    }

    private final FeedSettings settings;
    private final SourceClock clock;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final BookVerifier verifier;
    private final Sink sink;
    private final SplittableRandom jitter = new SplittableRandom();

    // Guarded by this.
    private int generation;
    private WebSocket socket;
    private CompletableFuture<WebSocket> sends;
    private boolean closed;
    private int failedAttempts;
    private ScheduledFuture<?> supervisor;

    // Listener thread only (callbacks of one socket are serialized).
    private final StreamProtocol protocol;
    private final StreamDecoder decoder;
    private final StreamMessage message = new StreamMessage();
    private final ConnectionSequence sequence;
    private final StringBuilder text = new StringBuilder();
    private final Map<String, Integer> resubscribes = new HashMap<>();
    private final Map<String, Long> lastResubscribe = new HashMap<>();

    /**
     * Held while a received time is taken and the message handed to the sink, so that times reach
     * the sink in order: a message stamped earlier is never handed over after a later promise.
     */
    private final ReentrantLock handOver = new ReentrantLock();

    // Guarded by handOver: the last received time handed out (times never go backwards).
    private long lastStamp = Long.MIN_VALUE;

    private volatile long lastReceivedNanos;
    private volatile boolean delivering;
    private volatile long lastPingNanos;
    private long pingIds;

    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong staleFeeds = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong resubscriptions = new AtomicLong();
    private final AtomicLong received = new AtomicLong();

    /**
     * @param verifier book checks for resubscription (venues with a checksum); null to skip them
     * @param timer a scheduler for supervision and reconnects (shared, not owned)
     */
    public FeedConnection(
            FeedSettings settings,
            SourceClock clock,
            HttpClient http,
            ScheduledExecutorService timer,
            BookVerifier verifier,
            Sink sink) {
        this.settings = settings;
        this.clock = clock;
        this.http = http;
        this.timer = timer;
        this.verifier = verifier;
        this.sink = sink;
        this.protocol = settings.protocol();
        this.decoder = protocol.newDecoder();
        this.sequence = protocol.integrity().hasSequence() ? protocol.newSequence() : null;
    }

    /** Connects, and keeps the connection up until {@link #close()}. */
    public synchronized void start() {
        long period = Math.max(50, Math.min(1_000, settings.staleAfterMs() / 4));
        supervisor =
                timer.scheduleWithFixedDelay(
                        this::supervise, period, period, TimeUnit.MILLISECONDS);
        timer.execute(this::connect);
    }

    public FeedSettings settings() {
        return settings;
    }

    public long connects() {
        return connects.get();
    }

    public long disconnects() {
        return disconnects.get();
    }

    public long staleFeeds() {
        return staleFeeds.get();
    }

    public long sequenceGaps() {
        return gaps.get();
    }

    public long resubscriptions() {
        return resubscriptions.get();
    }

    public long messagesReceived() {
        return received.get();
    }

    @Override
    public void close() {
        WebSocket ws;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            generation++;
            ws = socket;
            socket = null;
            if (supervisor != null) {
                supervisor.cancel(false);
            }
        }
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye")
                    .orTimeout(1, TimeUnit.SECONDS)
                    .whenComplete((w, e) -> ws.abort());
        }
        LOG.info("{} feed closed", settings.exchange());
    }

    private void connect() {
        int gen;
        synchronized (this) {
            if (closed) {
                return;
            }
            gen = ++generation;
        }
        LOG.info("Connecting to {} ({})", settings.url(), settings.exchange());
        http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(settings.url()), new Listener(gen))
                .whenComplete(
                        (ws, e) -> {
                            if (e != null) {
                                onFailure(gen, "connect failed: " + rootMessage(e));
                            }
                        });
    }

    /** An unexpected end of the current socket: record it and reconnect after a backoff. */
    private void onFailure(int gen, String detail) {
        synchronized (this) {
            if (gen != generation || closed) {
                return;
            }
            generation++;
            socket = null;
        }
        disconnects.incrementAndGet();
        LOG.warn("{} feed {}; reconnecting", settings.exchange(), detail);
        deliver(
                at ->
                        List.of(
                                ConnectionEvent.DISCONNECTED.toRawMessage(
                                        settings.exchange(), at, detail)));
        scheduleReconnect();
    }

    /**
     * Drops the current socket on purpose (gap, stale) and reconnects; {@code event} is recorded
     * first.
     */
    private void restart(int gen, LongFunction<List<RawMessage>> event, String why) {
        WebSocket old;
        synchronized (this) {
            if (gen != generation || closed) {
                return;
            }
            generation++;
            old = socket;
            socket = null;
        }
        LOG.warn("{} feed: {}; reconnecting for fresh snapshots", settings.exchange(), why);
        if (event != null) {
            deliver(event);
        }
        if (old != null) {
            old.abort();
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        long delay;
        synchronized (this) {
            if (closed) {
                return;
            }
            delay = backoff(failedAttempts++);
        }
        LOG.info("{} feed: next connection attempt in {} ms", settings.exchange(), delay);
        timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Exponential backoff with "equal jitter": half the capped delay, plus a random half. */
    private long backoff(int attempt) {
        long capped = settings.initialBackoffMs() << Math.min(attempt, 20);
        capped = Math.min(settings.maxBackoffMs(), capped);
        synchronized (jitter) {
            return capped / 2 + jitter.nextLong(capped / 2 + 1);
        }
    }

    private void supervise() {
        promiseProgress();
        int gen;
        WebSocket ws;
        synchronized (this) {
            gen = generation;
            ws = socket;
        }
        if (ws == null || delivering) {
            return;
        }
        long now = System.nanoTime();
        long idleMs = (now - lastReceivedNanos) / 1_000_000;
        if (idleMs > settings.staleAfterMs()) {
            staleFeeds.incrementAndGet();
            String detail =
                    "no message for " + idleMs + " ms (limit " + settings.staleAfterMs() + " ms)";
            restart(
                    gen,
                    at ->
                            List.of(
                                    ConnectionEvent.STALE.toRawMessage(
                                            settings.exchange(), at, detail)),
                    detail);
            return;
        }
        if ((now - lastPingNanos) / 1_000_000 >= settings.pingIntervalMs()) {
            lastPingNanos = now;
            String ping = protocol.ping(pingIds + 1);
            if (ping != null) {
                pingIds++;
                send(gen, ping);
            }
        }
    }

    private void send(int gen, String payload) {
        synchronized (this) {
            if (gen != generation || socket == null) {
                return;
            }
            WebSocket ws = socket;
            // One outstanding send at a time (java.net.http.WebSocket's rule): chain them.
            sends = sends.handle((w, e) -> ws).thenCompose(w -> w.sendText(payload, true));
            // A failed write is a dead connection even when the client never saw it close (the
            // JDK's client can miss a bare FIN from the server; the peer's reset fails the write).
            sends.whenComplete(
                    (w, e) -> {
                        if (e != null) {
                            onFailure(gen, "send failed: " + rootMessage(e));
                        }
                    });
        }
    }

    private void subscribe(int gen) {
        for (String request : protocol.subscribe(settings.markets(), settings.depth())) {
            send(gen, request);
        }
    }

    /**
     * A book failed its check: the venue's resubscribe messages for a fresh snapshot, with a
     * per-market backoff; a venue without them starts the connection over.
     */
    private void resubscribe(int gen, String market) {
        List<String> requests = protocol.resubscribe(market, settings.depth(), decoder);
        if (requests.isEmpty()) {
            restart(gen, null, market + ": book failed its check");
            return;
        }
        long now = System.nanoTime();
        Long last = lastResubscribe.get(market);
        if (last != null && (now - last) / 1_000_000 > settings.maxBackoffMs()) {
            resubscribes.remove(market);
        }
        int n = resubscribes.merge(market, 1, Integer::sum);
        lastResubscribe.put(market, now);
        long delay = n == 1 ? 0 : backoff(n - 2);
        resubscriptions.incrementAndGet();
        LOG.warn(
                "{} {}: book failed its check; resubscribing in {} ms",
                settings.exchange(),
                market,
                delay);
        timer.schedule(() -> requests.forEach(r -> send(gen, r)), delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Stamps the received time and hands the messages built with it to the sink, in one step under
     * {@link #handOver}, so that no promise ({@link #promiseProgress}) can come between a message's
     * time and its hand-over. The hand-over may block (back-pressure) with the lock held.
     */
    private void deliver(LongFunction<List<RawMessage>> messages) {
        handOver.lock();
        delivering = true;
        try {
            long at = stamp();
            for (RawMessage m : messages.apply(at)) {
                sink.accept(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.info(
                    "{} feed: interrupted while handing over a message; closing",
                    settings.exchange());
            close();
        } finally {
            delivering = false;
            handOver.unlock();
        }
    }

    /**
     * The source clock's time, never below one handed out before (guarded by {@link #handOver}).
     */
    private long stamp() {
        lastStamp = Math.max(lastStamp, clock.currentTimeMillis());
        return lastStamp;
    }

    /**
     * Tells the sink how far this feed's time has come when nothing is being handed over (an idle
     * or reconnecting feed), so that event time advances without messages. Skipped while a delivery
     * holds {@link #handOver} (it may be blocked by back-pressure): the message it hands over
     * carries its own time, and a promise must never overtake a message stamped before it.
     */
    private void promiseProgress() {
        if (!handOver.tryLock()) {
            return;
        }
        try {
            sink.progress(settings.exchange(), stamp());
        } finally {
            handOver.unlock();
        }
    }

    private void handle(int gen, String payload) {
        received.incrementAndGet();
        boolean parsed;
        try {
            decoder.decode(payload, null, message);
            parsed = true;
        } catch (BookParseException e) {
            // Delivered as is: the job records it as malformed with the payload.
            LOG.debug("{} feed: unparseable message: {}", settings.exchange(), e.getMessage());
            parsed = false;
        }
        List<String> markets =
                parsed && !message.markets.isEmpty() ? List.copyOf(message.markets) : List.of("");
        deliver(
                at ->
                        markets.stream()
                                .map(
                                        market ->
                                                RawMessage.wsMessage(
                                                        settings.exchange(), market, at, payload))
                                .toList());
        lastReceivedNanos = System.nanoTime();
        if (!parsed) {
            // Its sequence number is not accepted either: on a sequenced feed the next message
            // shows a gap, which reconnects for fresh snapshots (the job drops the books itself).
            return;
        }
        if (sequence != null
                && sequence.accept(message.sequence) == ConnectionSequence.Verdict.GAP) {
            gaps.incrementAndGet();
            restart(
                    gen,
                    null,
                    "sequence number "
                            + message.sequence
                            + " after a gap of "
                            + sequence.missing());
            return;
        }
        switch (message.type) {
            case BOOK_SNAPSHOT:
            case BOOK_UPDATE:
                if (message.type == StreamMessage.Type.BOOK_SNAPSHOT) {
                    synchronized (this) {
                        failedAttempts = 0;
                    }
                }
                if (verifier != null
                        && checksummed()
                        && !verifier.onBookMessage(message.market(), message)) {
                    resubscribe(gen, message.market());
                }
                break;
            case SUBSCRIBED:
                if (verifier != null && checksummed() && message.market() != null) {
                    verifier.onSubscribed(message.market(), message.depth);
                }
                break;
            case ERROR:
                LOG.warn("{} feed reports an error: {}", settings.exchange(), message.error);
                break;
            case RECONNECT:
                restart(
                        gen,
                        at ->
                                List.of(
                                        ConnectionEvent.DISCONNECTED.toRawMessage(
                                                settings.exchange(),
                                                at,
                                                "the exchange asked for a reconnection")),
                        "the exchange asked for a reconnection");
                break;
            default:
                break;
        }
    }

    private boolean checksummed() {
        return protocol.integrity().hasChecksum();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** The callbacks of one socket (one generation). */
    private final class Listener implements WebSocket.Listener {
        private final int gen;

        Listener(int gen) {
            this.gen = gen;
        }

        private boolean current() {
            synchronized (FeedConnection.this) {
                return gen == generation && !closed;
            }
        }

        @Override
        public void onOpen(WebSocket ws) {
            synchronized (FeedConnection.this) {
                if (gen != generation || closed) {
                    ws.abort();
                    return;
                }
                socket = ws;
                sends = CompletableFuture.completedFuture(ws);
            }
            connects.incrementAndGet();
            lastReceivedNanos = System.nanoTime();
            lastPingNanos = lastReceivedNanos;
            if (sequence != null) {
                sequence.reset();
            }
            text.setLength(0);
            if (verifier != null) {
                verifier.reset();
            }
            LOG.info(
                    "{} feed connected to {}; subscribing {}",
                    settings.exchange(),
                    settings.url(),
                    settings.markets());
            deliver(
                    at ->
                            List.of(
                                    ConnectionEvent.CONNECTED.toRawMessage(
                                            settings.exchange(), at, settings.url())));
            subscribe(gen);
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!current()) {
                return null;
            }
            text.append(data);
            if (last) {
                String payload = text.toString();
                text.setLength(0);
                handle(gen, payload);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            onFailure(
                    gen,
                    "closed by the server ("
                            + statusCode
                            + (reason.isEmpty() ? "" : " " + reason)
                            + ")");
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            onFailure(gen, "failed: " + rootMessage(error));
        }
    }
}
