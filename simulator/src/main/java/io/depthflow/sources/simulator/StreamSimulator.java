package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.venue.Venue;
import io.depthflow.sources.venue.Venues;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for the venues' WebSocket book feeds, speaking their documented protocols, for
 * tests, demos and {@code depthflow simulate}. One WebSocket server on 127.0.0.1 serves every
 * registered venue on its {@link StreamDialect#path()} ({@code ws://127.0.0.1:P/kraken/v2}, {@code
 * /coinbase}, {@code /bitstamp}); each connection's {@link FeedSession} speaks the venue's protocol
 * (see {@code KrakenStreamDialect}, {@code CoinbaseStreamDialect}, {@code BitstampStreamDialect}).
 * The simulator itself knows no venue: it owns the server, the books, the fault queues, disconnects
 * and silences.
 *
 * <p>Each market's book takes one step ({@link MarketBook}, 1 to 4 level changes) every {@code 1 /
 * messagesPerSecond}, held around the market's {@link ReferenceMid} (one per market, shared by all
 * venues, so their books never cross each other and their spreads stay within a band for hours);
 * every session is told, and its subscribers get what the venue sends for it. Books are shared by
 * all connections of an exchange and deterministic given the seed and the order of subscriptions;
 * {@link ExchangeSimulator} serves the same books over REST ({@link #restBook}). Payload timestamps
 * come from a {@link SourceClock}. Faults: {@link StreamFault}, via {@link #injectFault}, for the
 * exchange's next update on any connection, or for chosen connections ({@link #injectFault(String,
 * StreamFault, String)}, {@link #connections}).
 *
 * <p>All feed state lives on one scheduler thread; the server's threads only hand it work.
 * Java-WebSocket (org.java-websocket) is the server: the JDK has a WebSocket client only, and a
 * small, widely used library with the RFC 6455 framing, masking, fragmentation and close handshake
 * already right keeps this class about the feeds.
 *
 * <pre>{@code
 * try (StreamSimulator sim = StreamSimulator.builder().messagesPerSecond(50).start()) {
 *     URI kraken = URI.create(sim.url("kraken"));
 *     sim.injectFault("coinbase", StreamFault.DROP_MESSAGE);
 * }
 * }</pre>
 */
@PublicEvolving
public final class StreamSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSimulator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    private final ScheduledExecutorService loop;
    private final SourceClock clock;
    private final SplittableRandom rnd;
    private final Map<String, String> options;
    private final Duration staleFor;
    private final Map<String, Map<String, MarketBook>> books = new HashMap<>();
    private final Map<String, ReferenceMid> references = new LinkedHashMap<>();

    /** Open connections, each speaking its venue's {@link StreamDialect}. */
    private final Map<WebSocket, DialectConnection> dialects = new LinkedHashMap<>();

    private final Map<String, Deque<StreamFault>> faults = new HashMap<>();
    private final Map<String, AtomicLong> sent = new HashMap<>();
    private final Map<String, AtomicLong> connections = new HashMap<>();
    private long connectionIds;

    private StreamSimulator(Builder b) throws IOException {
        this.clock = b.clock;
        this.rnd = new SplittableRandom(b.seed);
        this.options = Map.copyOf(b.options);
        this.staleFor = b.staleFor;
        for (String exchange : Exchanges.ALL) {
            books.put(exchange, new LinkedHashMap<>());
            faults.put(exchange, new ArrayDeque<>());
            sent.put(exchange, new AtomicLong());
            connections.put(exchange, new AtomicLong());
        }
        this.loop =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "stream-simulator");
                            t.setDaemon(true);
                            return t;
                        });
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port);
        if (b.port != 0) {
            // Java-WebSocket binds on its own thread and logs a busy port's stack trace at ERROR
            // before it tells us; a probe says it first, as a plain BindException.
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.bind(address);
            } catch (java.net.BindException e) {
                loop.shutdownNow();
                throw new java.net.BindException("port " + b.port + " is in use");
            }
        }
        this.server = new Server(address);
        server.start();
        try {
            if (!server.started.await(10, TimeUnit.SECONDS)) {
                throw new IOException("the WebSocket server did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        }
        if (server.failure != null) {
            throw new IOException(
                    "cannot start the WebSocket server: " + server.failure.getMessage(),
                    server.failure);
        }
        long periodNanos = Math.max(1, 1_000_000_000L / b.messagesPerSecond);
        loop.scheduleAtFixedRate(this::tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        loop.scheduleAtFixedRate(this::heartbeats, 1, 1, TimeUnit.SECONDS);
        LOG.info(
                "Stream simulator listening on ws://127.0.0.1:{} ({} book messages/s per market, seed {})",
                port(),
                b.messagesPerSecond,
                b.seed);
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return server.getPort();
    }

    /**
     * {@code ws://127.0.0.1:P} + the venue dialect's path ({@code /kraken/v2}, {@code /coinbase},
     * {@code /bitstamp}).
     */
    public String url(String exchange) {
        return "ws://127.0.0.1:" + port() + Venues.get(exchange).streamDialect().path();
    }

    /** The open connections of {@code exchange}, oldest first. */
    private List<FeedConnectionState> open(String exchange) {
        List<FeedConnectionState> open = new ArrayList<>();
        for (DialectConnection c : dialects.values()) {
            if (c.exchange.equals(exchange)) {
                open.add(c);
            }
        }
        return open;
    }

    /**
     * Injects a fault on {@code exchange}: {@link StreamFault#DROP_MESSAGE} and {@link
     * StreamFault#CORRUPT_CHECKSUM} affect the next book update (queued after earlier ones); {@link
     * StreamFault#DISCONNECT} and {@link StreamFault#STALE} act now.
     */
    public void injectFault(String exchange, StreamFault fault) {
        Exchanges.validate(exchange);
        Preconditions.checkNotNull(fault, "fault");
        runNow(
                () -> {
                    switch (fault) {
                        case DISCONNECT:
                            for (FeedConnectionState c : open(exchange)) {
                                drop(c.ws);
                            }
                            break;
                        case STALE:
                            // By default for good: a half-open connection, which only the client's
                            // liveness limit ends, whatever that limit is.
                            long until =
                                    staleFor == null
                                            ? Long.MAX_VALUE
                                            : System.nanoTime() + staleFor.toNanos();
                            open(exchange).forEach(c -> c.silentUntil = until);
                            break;
                        default:
                            faults.get(exchange).add(fault);
                    }
                });
        LOG.info("Injected {} on {}", fault.wireName(), exchange);
    }

    /**
     * Injects a fault on some connections of {@code exchange}: {@code "all"} (every connection open
     * now; when none is, the exchange's next update as {@link #injectFault(String, StreamFault)}),
     * {@code "last"} (the one opened last, e.g. a {@code record} started after a job) or a
     * connection id from {@link #connections}. {@link StreamFault#DROP_MESSAGE} and {@link
     * StreamFault#CORRUPT_CHECKSUM} affect each chosen connection's next book update; {@link
     * StreamFault#DISCONNECT} and {@link StreamFault#STALE} act on them now. Returns the ids of the
     * connections hit (empty when queued for the exchange).
     *
     * @throws IllegalArgumentException when {@code connection} names no open connection
     */
    public List<Long> injectFault(String exchange, StreamFault fault, String connection) {
        Exchanges.validate(exchange);
        Preconditions.checkNotNull(fault, "fault");
        Preconditions.checkNotNull(connection, "connection");
        List<Long> hit =
                call(
                        () -> {
                            List<FeedConnectionState> open = open(exchange);
                            List<FeedConnectionState> chosen = new ArrayList<>();
                            if ("all".equals(connection)) {
                                chosen.addAll(open);
                            } else if ("last".equals(connection)) {
                                open.stream()
                                        .max(java.util.Comparator.comparingLong(c -> c.id))
                                        .ifPresent(chosen::add);
                            } else {
                                long id;
                                try {
                                    id = Long.parseLong(connection);
                                } catch (NumberFormatException e) {
                                    throw new IllegalArgumentException(
                                            "connection must be all, last or a connection id, got '"
                                                    + connection
                                                    + "'");
                                }
                                open.stream().filter(c -> c.id == id).forEach(chosen::add);
                            }
                            if (chosen.isEmpty() && !"all".equals(connection)) {
                                throw new IllegalArgumentException(
                                        "no open "
                                                + exchange
                                                + " connection '"
                                                + connection
                                                + "'; open: "
                                                + open.stream().map(c -> c.id).toList());
                            }
                            if (chosen.isEmpty()) {
                                if (fault != StreamFault.DISCONNECT && fault != StreamFault.STALE) {
                                    faults.get(exchange).add(fault);
                                }
                                return List.<Long>of();
                            }
                            long until =
                                    staleFor == null
                                            ? Long.MAX_VALUE
                                            : System.nanoTime() + staleFor.toNanos();
                            for (FeedConnectionState c : chosen) {
                                switch (fault) {
                                    case DISCONNECT:
                                        drop(c.ws);
                                        break;
                                    case STALE:
                                        c.silentUntil = until;
                                        break;
                                    default:
                                        c.faults.add(fault);
                                }
                            }
                            return chosen.stream().map(c -> c.id).toList();
                        });
        LOG.info(
                "Injected {} on {} connections {}",
                fault.wireName(),
                exchange,
                hit.isEmpty() ? "(next to update)" : hit);
        return hit;
    }

    /**
     * The open connections of {@code exchange}, oldest first, as JSON objects: {@code
     * {"exchange":"kraken","id":3,"markets":["BTC/USD"]}}.
     */
    public List<String> connections(String exchange) {
        Exchanges.validate(exchange);
        return call(
                () -> {
                    List<String> out = new ArrayList<>();
                    for (FeedConnectionState c : open(exchange)) {
                        out.add(
                                "{\"exchange\":\""
                                        + exchange
                                        + "\",\"id\":"
                                        + c.id
                                        + ",\"markets\":"
                                        + JSON.valueToTree(c.markets()).toString()
                                        + "}");
                    }
                    return out;
                });
    }

    /**
     * The live book of {@code exchange} and {@code market} as a REST response would carry it, its
     * best {@code depth} levels per side, prices at {@link SimulatedBooks#SCALE} (without order
     * counts, ages and sequence: {@link SimulatedBooks#decorate}). A market no feed has asked for
     * yet gets its book now, and it moves from then on.
     */
    SimulatedBooks.Book restBook(String exchange, String market, int depth) {
        Exchanges.validate(exchange);
        return call(
                () -> {
                    MarketBook b = book(exchange, market);
                    long unit = 1;
                    for (int i = b.priceScale; i < SimulatedBooks.SCALE; i++) {
                        unit *= 10;
                    }
                    SimulatedBooks.Book out =
                            new SimulatedBooks.Book(
                                    Math.min(depth, b.bids.size()), Math.min(depth, b.asks.size()));
                    int i = 0;
                    for (Map.Entry<Long, Long> e : b.bids.entrySet()) {
                        if (i == out.bidPrices.length) {
                            break;
                        }
                        out.bidPrices[i] = e.getKey() * unit;
                        out.bidSizes[i++] = e.getValue() * pow10(8 - b.sizeScale);
                    }
                    i = 0;
                    for (Map.Entry<Long, Long> e : b.asks.entrySet()) {
                        if (i == out.askPrices.length) {
                            break;
                        }
                        out.askPrices[i] = e.getKey() * unit;
                        out.askSizes[i++] = e.getValue() * pow10(8 - b.sizeScale);
                    }
                    out.tick = b.tick * unit;
                    return out;
                });
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < n; i++) {
            v *= 10;
        }
        return v;
    }

    /**
     * Drops a connection the way a failing network or load balancer does: a TCP reset, no close
     * frame. A reset rather than a plain FIN because the JDK's WebSocket client misses a bare FIN
     * now and then (its socket sits in CLOSE_WAIT and neither onClose nor onError is called: 14 of
     * 45 drops in one warm JVM here), which only the stale limit then ends; a reset it always
     * reports. The connection is closed from this thread, and a channel still registered with a
     * selector is only really closed when that selector next runs, so the selector is woken.
     */
    private static void drop(WebSocket ws) {
        Selector selector = null;
        if (ws instanceof WebSocketImpl impl) {
            if (impl.getSelectionKey() != null) {
                selector = impl.getSelectionKey().selector();
            }
            if (impl.getChannel() instanceof SocketChannel channel) {
                try {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                } catch (IOException e) {
                    LOG.debug(
                            "cannot set SO_LINGER before a simulated disconnect: {}", e.toString());
                }
            }
        }
        ws.closeConnection(1006, "simulated disconnect");
        if (selector != null) {
            selector.wakeup();
        }
    }

    /** WebSocket messages sent on {@code exchange}'s connections so far. */
    public long messagesSent(String exchange) {
        return sent.get(Exchanges.validate(exchange)).get();
    }

    /** Connections opened to {@code exchange}'s feed so far. */
    public long connectionsOpened(String exchange) {
        return connections.get(Exchanges.validate(exchange)).get();
    }

    /** Connections open now to {@code exchange}'s feed. */
    public int openConnections(String exchange) {
        Exchanges.validate(exchange);
        return call(() -> open(exchange).size());
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            server.stop(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Stream simulator on port {} stopped", server.getPort());
    }

    // ---- feed logic, on the loop thread
    // ----------------------------------------------------------

    private MarketBook book(String exchange, String market) {
        return books.get(exchange)
                .computeIfAbsent(
                        market, m -> Venues.get(exchange).streamDialect().newBook(m, rnd.split()));
    }

    /** One book message's worth of change: 1 to 4 level changes, held around the reference. */
    static void stepBook(MarketBook book, ReferenceMid reference, SplittableRandom rnd) {
        book.step(rnd, 1 + rnd.nextInt(4), reference);
    }

    private ReferenceMid reference(String market) {
        return references.computeIfAbsent(market, ReferenceMid::forStream);
    }

    private static boolean silent(long silentUntil) {
        return System.nanoTime() < silentUntil;
    }

    private void tick() {
        try {
            long now = clock.currentTimeMillis();
            Set<String> markets = new LinkedHashSet<>();
            books.values().forEach(m -> markets.addAll(m.keySet()));
            for (String market : markets) {
                reference(market).step(rnd);
            }
            tickVenues(now);
        } catch (RuntimeException e) {
            LOG.error("Stream simulator tick failed", e);
        }
    }

    /**
     * Steps every venue's books (a REST client may read one nobody subscribed to); each
     * connection's session sends what its subscribers get, or is told of the step while silent.
     */
    private void tickVenues(long now) {
        for (Venue venue : Venues.ALL) {
            for (Map.Entry<String, MarketBook> e : books.get(venue.name()).entrySet()) {
                String market = e.getKey();
                stepBook(e.getValue(), reference(market), rnd);
                for (DialectConnection c : new ArrayList<>(dialects.values())) {
                    if (!c.exchange.equals(venue.name())) {
                        continue;
                    }
                    if (silent(c.silentUntil)) {
                        c.session.onSilentStep(market, e.getValue());
                    } else {
                        c.session.onStep(
                                market,
                                e.getValue(),
                                now,
                                c.faults.isEmpty() ? faults.get(venue.name()) : c.faults);
                    }
                }
            }
        }
    }

    private void heartbeats() {
        long now = clock.currentTimeMillis();
        for (DialectConnection c : new ArrayList<>(dialects.values())) {
            if (!silent(c.silentUntil)) {
                c.session.onSecond(now);
            }
        }
    }

    private void send(String exchange, WebSocket ws, String message) {
        if (!ws.isOpen()) {
            return;
        }
        ws.send(message);
        sent.get(exchange).incrementAndGet();
    }

    private void onOpen(WebSocket ws, String path) {
        for (Venue venue : Venues.ALL) {
            StreamDialect dialect = venue.streamDialect();
            if (path.equals(dialect.path())
                    || path.startsWith(dialect.path() + "/")
                    || path.startsWith(dialect.path() + "?")) {
                DialectConnection c = new DialectConnection(ws, ++connectionIds, venue.name());
                c.session = dialect.open(c);
                dialects.put(ws, c);
                connections.get(venue.name()).incrementAndGet();
                c.session.onOpen(clock.currentTimeMillis());
                return;
            }
        }
        ws.close(1008, "unknown feed " + path);
    }

    private void onMessage(WebSocket ws, String text) {
        long now = clock.currentTimeMillis();
        DialectConnection d = dialects.get(ws);
        if (d != null && !silent(d.silentUntil)) {
            d.session.onText(text, now);
        }
    }

    private static boolean validMarket(String symbol) {
        try {
            Markets.validate(symbol);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Runs {@code task} on the loop thread and waits for it. */
    private <T> T call(java.util.concurrent.Callable<T> task) {
        try {
            return loop.submit(task).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw bad; // a bad request (an unknown connection), not a failure of the simulator
            }
            throw new IllegalStateException("stream simulator call failed", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("stream simulator call failed", e);
        }
    }

    private void runNow(Runnable task) {
        call(
                () -> {
                    task.run();
                    return null;
                });
    }

    private void later(Runnable task) {
        if (!loop.isShutdown()) {
            loop.execute(task);
        }
    }

    /** What both feeds keep per connection: its id, its own fault queue, its silence. */
    private abstract static class FeedConnectionState {
        final WebSocket ws;
        final long id;
        final Deque<StreamFault> faults = new ArrayDeque<>();
        long silentUntil;

        FeedConnectionState(WebSocket ws, long id) {
            this.ws = ws;
            this.id = id;
        }

        abstract List<String> markets();
    }

    /**
     * A connection of a venue served by its {@link StreamDialect}: the session speaks its protocol.
     */
    private final class DialectConnection extends FeedConnectionState implements FeedContext {
        final String exchange;
        FeedSession session;

        DialectConnection(WebSocket ws, long id, String exchange) {
            super(ws, id);
            this.exchange = exchange;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public void send(String text) {
            StreamSimulator.this.send(exchange, ws, text);
        }

        @Override
        public MarketBook book(String market) {
            return StreamSimulator.this.book(exchange, market);
        }

        @Override
        public boolean serves(String market) {
            return validMarket(market);
        }

        @Override
        public String option(String key) {
            return options.get(key);
        }

        @Override
        List<String> markets() {
            return session == null ? List.of() : session.markets();
        }
    }

    /** The server: every callback hands its work to the loop thread. */
    private final class Server extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        volatile Exception failure;

        Server(InetSocketAddress address) {
            super(address);
            setReuseAddr(true);
            setTcpNoDelay(true);
            setDaemon(true);
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket ws, ClientHandshake handshake) {
            String path = handshake.getResourceDescriptor();
            later(() -> StreamSimulator.this.onOpen(ws, path));
        }

        @Override
        public void onMessage(WebSocket ws, String message) {
            later(() -> StreamSimulator.this.onMessage(ws, message));
        }

        @Override
        public void onClose(WebSocket ws, int code, String reason, boolean remote) {
            later(
                    () -> {
                        dialects.remove(ws);
                    });
        }

        @Override
        public void onError(WebSocket ws, Exception e) {
            if (ws == null) {
                failure = e;
                started.countDown();
            } else {
                LOG.debug("WebSocket error on {}: {}", ws.getRemoteSocketAddress(), e.toString());
            }
        }
    }

    /** Settings of a {@link StreamSimulator}. */
    @PublicEvolving
    public static final class Builder {
        private int port;
        private long seed = 42;
        private SourceClock clock = SourceClock.system();
        private int messagesPerSecond = 20;
        private final Map<String, String> options = new HashMap<>();

        /** Null: silent until the client drops the connection. */
        private Duration staleFor;

        private Builder() {}

        /** 0 (default) picks a free port. */
        public Builder port(int port) {
            Preconditions.checkArgument(
                    port >= 0 && port <= 65535, "port must be 0..65535, got %s", port);
            this.port = port;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The clock of payload timestamps. */
        public Builder clock(SourceClock clock) {
            this.clock = Preconditions.checkNotNull(clock, "clock");
            return this;
        }

        /** Book steps per second per subscribed market and exchange (default 20). */
        public Builder messagesPerSecond(int rate) {
            Preconditions.checkArgument(
                    rate > 0 && rate <= 100_000,
                    "messagesPerSecond must be 1..100000, got %s",
                    rate);
            this.messagesPerSecond = rate;
            return this;
        }

        /**
         * A dialect option ({@link FeedContext#option}), e.g. {@code
         * kraken.numbers-as-strings=true}.
         */
        public Builder option(String key, String value) {
            options.put(
                    Preconditions.checkNotNull(key, "key"),
                    Preconditions.checkNotNull(value, "value"));
            return this;
        }

        /**
         * How long a {@link StreamFault#STALE} feed stays silent. Default: until the client drops
         * the connection (the silence outlasts any liveness limit; a bounded one equal to the
         * client's limit would end before the client's check sees it). Set it below the client's
         * limit to see a silence that is not stale.
         */
        public Builder staleFor(Duration staleFor) {
            Preconditions.checkArgument(
                    !staleFor.isNegative() && !staleFor.isZero(), "staleFor must be positive");
            this.staleFor = staleFor;
            return this;
        }

        public StreamSimulator start() throws IOException {
            return new StreamSimulator(this);
        }
    }
}
