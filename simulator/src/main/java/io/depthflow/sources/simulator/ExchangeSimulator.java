package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.simulator.SimulatedBooks.Book;
import io.depthflow.sources.venue.Venue;
import io.depthflow.sources.venue.Venues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for the venues' REST APIs, speaking their wire formats, for tests, demos and
 * {@code depthflow simulate}. A JDK {@link HttpServer} on 127.0.0.1 serves
 *
 * <ul>
 *   <li>under {@code /<venue>/}, every registered venue's book requests in its {@link RestDialect}
 *       ({@code /coinbase/products/BTC-USD/book?level=2}, {@code
 *       /kraken/0/public/Depth?pair=XBTUSD&count=N}, {@code /bitstamp/api/v2/order_book/btcusd});
 *   <li>{@code POST /_sim/faults?exchange=kraken&fault=http_500&times=2} queues faults (see {@link
 *       Fault}; with {@link Builder#streams} also the WebSocket feeds' {@link StreamFault}s, on
 *       every open connection of the exchange or the one named by {@code &connection=last|ID}, see
 *       {@code GET /_sim/connections}), {@code DELETE /_sim/faults} clears them, {@code GET
 *       /_sim/stats} returns the request counts as JSON.
 * </ul>
 *
 * so the base URL to configure for a venue is {@link #baseUrl(String)}: {@code
 * http://127.0.0.1:P/<venue>}. Books move on every request (see {@link SimulatedBooks}) and are
 * deterministic given the seed and the request sequence. Exchange timestamps come from a {@link
 * SourceClock}, so they agree with an accelerated source clock.
 *
 * <pre>{@code
 * try (ExchangeSimulator sim = ExchangeSimulator.builder().seed(42).start()) {
 *     sim.injectFault("kraken", Fault.HTTP_500, 2);
 *     String krakenBase = sim.baseUrl("kraken");
 *     ...
 * }
 * }</pre>
 */
@PublicEvolving
public final class ExchangeSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeSimulator.class);

    private static final String JSON = "application/json; charset=utf-8";

    static {
        // The JDK server writes headers and body in two segments; without TCP_NODELAY, Nagle's
        // algorithm and the client's delayed ACK add ~40 ms to every response. Read once, when the
        // first HttpServer is created, so a value set by the application wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final SimulatedBooks books;
    private final SourceClock clock;
    private final Duration slowDelay;
    private final int retryAfterSeconds;
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    private final Map<String, AtomicLong> requests = new HashMap<>();
    private final StreamSimulator streams;

    private ExchangeSimulator(Builder builder) throws IOException {
        this.books = new SimulatedBooks(builder.seed);
        this.clock = builder.clock;
        this.slowDelay = builder.slowDelay;
        this.retryAfterSeconds = builder.retryAfterSeconds;
        this.streams = builder.streams;
        for (String exchange : Exchanges.ALL) {
            faults.put(exchange, new ArrayDeque<>());
            requests.put(exchange, new AtomicLong());
        }
        AtomicInteger threads = new AtomicInteger();
        this.executor =
                Executors.newFixedThreadPool(
                        8,
                        r -> {
                            Thread t =
                                    new Thread(
                                            r, "exchange-simulator-" + threads.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        this.server =
                HttpServer.create(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), 0);
        for (Venue venue : Venues.ALL) {
            RestDialect dialect = venue.restDialect();
            if (dialect != null) {
                String prefix = "/" + venue.name();
                server.createContext(
                        prefix + "/", http -> handleDialect(venue.name(), prefix, dialect, http));
            }
        }
        server.createContext("/_sim/", this::handleControl);
        server.setExecutor(executor);
        server.start();
        LOG.info("Exchange simulator listening on {} (seed {})", baseUrl(""), builder.seed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Port 0 (a free port), seed 42, wall clock. */
    public static ExchangeSimulator start() throws IOException {
        return builder().start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:P/coinbase} or {@code http://127.0.0.1:P/kraken}. */
    public String baseUrl(String exchange) {
        return "http://127.0.0.1:" + port() + "/" + exchange;
    }

    /**
     * The next {@code times} book requests to {@code exchange} get {@code fault}, after any queued.
     */
    public void injectFault(String exchange, Fault fault, int times) {
        Exchanges.validate(exchange);
        Preconditions.checkNotNull(fault, "fault");
        Preconditions.checkArgument(times > 0, "times must be positive, got %s", times);
        synchronized (faults) {
            for (int i = 0; i < times; i++) {
                faults.get(exchange).add(fault);
            }
        }
    }

    public void clearFaults() {
        synchronized (faults) {
            faults.values().forEach(Deque::clear);
        }
    }

    /** Book requests received for {@code exchange}, faulted ones included. */
    public long requestCount(String exchange) {
        return requests.get(Exchanges.validate(exchange)).get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        LOG.info("Exchange simulator on port {} stopped", port());
    }

    private Fault nextFault(String exchange) {
        synchronized (faults) {
            return faults.get(exchange).poll();
        }
    }

    /**
     * A venue's requests, answered in its {@link RestDialect}: see the dialect's contract for the
     * order of checks.
     */
    private void handleDialect(
            String exchange, String prefix, RestDialect dialect, HttpExchange http)
            throws IOException {
        RestDialect.BookRequest request =
                dialect.read(
                        http.getRequestURI().getPath().substring(prefix.length()), query(http));
        if (request == null) {
            respond(http, dialect.notFound());
            return;
        }
        requests.get(exchange).incrementAndGet();
        String market = request.market();
        Fault fault = nextFault(exchange);
        if (fault == Fault.HTTP_429 || fault == Fault.HTTP_500 || fault == Fault.EXCHANGE_ERROR) {
            books.skip(exchange, String.valueOf(market));
            if (fault == Fault.HTTP_429) {
                http.getResponseHeaders().add("Retry-After", Integer.toString(retryAfterSeconds));
            }
            respond(http, dialect.fault(fault));
            return;
        }
        if (fault == Fault.SLOW && !pause(http)) {
            return;
        }
        if (market == null || !SimulatedBooks.supports(market)) {
            respond(http, dialect.unknownMarket(request.symbol()));
            return;
        }
        if (request.invalid() != null) {
            respond(http, request.invalid());
            return;
        }
        Book book =
                streams != null
                        ? books.decorate(
                                exchange,
                                market,
                                streams.restBook(exchange, market, request.depth()))
                        : books.next(exchange, market, request.depth(), dialect.tick(market));
        applyBookFault(book, fault);
        String body = dialect.body(book, market, request, clock.currentTimeMillis());
        respond(http, 200, SimResponse.JSON, fault == Fault.MALFORMED_JSON ? truncate(body) : body);
    }

    /**
     * {@link Fault#SLOW}: waits the slow delay; false when interrupted (the exchange was closed).
     */
    private boolean pause(HttpExchange http) {
        try {
            Thread.sleep(slowDelay.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            http.close();
            return false;
        }
    }

    private static void applyBookFault(Book book, Fault fault) {
        if (fault == Fault.CROSSED_BOOK) {
            book.bidPrices[0] = book.askPrices[0] + book.tick;
            // Keep the bids strictly descending so that only the crossing is wrong.
            for (int i = 1;
                    i < book.bidPrices.length && book.bidPrices[i] >= book.bidPrices[i - 1];
                    i++) {
                book.bidPrices[i] = book.bidPrices[i - 1] - book.tick;
            }
        } else if (fault == Fault.EMPTY_BOOK) {
            book.removeBids();
        }
    }

    private void handleControl(HttpExchange http) throws IOException {
        String path = http.getRequestURI().getPath();
        String method = http.getRequestMethod();
        if ("/_sim/stats".equals(path) && "GET".equals(method)) {
            StringBuilder stats = new StringBuilder("{");
            for (String exchange : Exchanges.ALL) {
                stats.append(stats.length() == 1 ? "" : ",")
                        .append('"')
                        .append(exchange)
                        .append("\":")
                        .append(requestCount(exchange));
            }
            respond(http, 200, JSON, stats.append('}').toString());
        } else if ("/_sim/connections".equals(path) && "GET".equals(method) && streams != null) {
            List<String> all = new ArrayList<>();
            for (String exchange : Exchanges.ALL) {
                all.addAll(streams.connections(exchange));
            }
            respond(http, 200, JSON, "[" + String.join(",", all) + "]");
        } else if ("/_sim/faults".equals(path) && "DELETE".equals(method)) {
            clearFaults();
            respond(http, 200, JSON, "{\"cleared\":true}");
        } else if ("/_sim/faults".equals(path) && "POST".equals(method)) {
            Map<String, String> query = query(http);
            try {
                String exchange = Exchanges.validate(query.get("exchange"));
                String name = String.valueOf(query.get("fault"));
                int times = Integer.parseInt(query.getOrDefault("times", "1"));
                String wireName;
                if (streams != null && isStreamFault(name)) {
                    StreamFault fault = StreamFault.fromWireName(name);
                    // By default every connection open now: a running job's and a record's alike.
                    String connection = query.getOrDefault("connection", "all");
                    java.util.Set<Long> hit = new java.util.TreeSet<>();
                    for (int i = 0; i < times; i++) {
                        hit.addAll(streams.injectFault(exchange, fault, connection));
                    }
                    respond(
                            http,
                            200,
                            JSON,
                            "{\"exchange\":\""
                                    + exchange
                                    + "\",\"fault\":\""
                                    + fault.wireName()
                                    + "\",\"queued\":"
                                    + times
                                    + ",\"connections\":"
                                    + hit
                                    + "}");
                    return;
                } else {
                    Fault fault = Fault.fromWireName(name);
                    injectFault(exchange, fault, times);
                    wireName = fault.wireName();
                }
                respond(
                        http,
                        200,
                        JSON,
                        "{\"exchange\":\""
                                + exchange
                                + "\",\"fault\":\""
                                + wireName
                                + "\",\"queued\":"
                                + times
                                + "}");
            } catch (IllegalArgumentException e) {
                respond(
                        http,
                        400,
                        JSON,
                        "{\"message\":\"" + e.getMessage().replace("\"", "'") + "\"}");
            }
        } else {
            respond(http, 404, JSON, "{\"message\":\"NotFound\"}");
        }
    }

    private static boolean isStreamFault(String name) {
        try {
            StreamFault.fromWireName(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Map<String, String> query(HttpExchange http) {
        Map<String, String> params = new HashMap<>();
        String raw = http.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.put(
                        URLDecoder.decode(key, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static String truncate(String body) {
        return body.substring(0, body.length() / 2);
    }

    private static void respond(HttpExchange http, SimResponse response) throws IOException {
        respond(http, response.status(), response.contentType(), response.body());
    }

    private static void respond(HttpExchange http, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().set("Content-Type", contentType);
        try (OutputStream out = http.getResponseBody()) {
            http.sendResponseHeaders(status, bytes.length);
            out.write(bytes);
        } catch (IOException e) {
            // The client gave up (timed out) before the answer: nothing to do.
            LOG.debug("Client went away before the response: {}", e.toString());
        }
    }

    /**
     * {@code simulate --port P [--seed S]}: starts a simulator and prints its base URLs, then runs
     * until the process is stopped.
     */
    public static void main(String[] args) throws Exception {
        Builder builder = builder();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port":
                    builder.port(
                            Integer.parseInt(
                                    Preconditions.checkNotNull(value, "--port needs a value")));
                    i++;
                    break;
                case "--seed":
                    builder.seed(
                            Long.parseLong(
                                    Preconditions.checkNotNull(value, "--seed needs a value")));
                    i++;
                    break;
                default:
                    throw new IllegalArgumentException(
                            "usage: simulate [--port P] [--seed S], got " + args[i]);
            }
        }
        ExchangeSimulator simulator = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    simulator.close();
                                    stopped.countDown();
                                }));
        for (String exchange : Exchanges.ALL) {
            System.out.println(exchange + " " + simulator.baseUrl(exchange));
        }
        System.out.println(
                "faults   curl -X POST '"
                        + simulator.baseUrl("_sim")
                        + "/faults?exchange=kraken&fault=http_500&times=2'");
        stopped.await();
    }

    /** Settings of an {@link ExchangeSimulator}. */
    @PublicEvolving
    public static final class Builder {
        private int port;
        private long seed = 42;
        private SourceClock clock = SourceClock.system();
        private Duration slowDelay = Duration.ofSeconds(15);
        private int retryAfterSeconds = 1;
        private StreamSimulator streams;

        private Builder() {}

        /**
         * Lets the control endpoint inject {@link StreamFault}s into these WebSocket feeds too
         * ({@code POST /_sim/faults?exchange=kraken&fault=corrupt_checksum}).
         */
        public Builder streams(StreamSimulator streams) {
            this.streams = Preconditions.checkNotNull(streams, "streams");
            return this;
        }

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

        /**
         * The clock of the exchange timestamps in the payloads (Coinbase time, Kraken level times).
         */
        public Builder clock(SourceClock clock) {
            this.clock = Preconditions.checkNotNull(clock, "clock");
            return this;
        }

        /** How long a {@link Fault#SLOW} request waits before answering (default 15 s). */
        public Builder slowDelay(Duration slowDelay) {
            Preconditions.checkArgument(!slowDelay.isNegative(), "slowDelay must not be negative");
            this.slowDelay = slowDelay;
            return this;
        }

        /** The Retry-After of {@link Fault#HTTP_429}, in seconds (default 1). */
        public Builder retryAfterSeconds(int seconds) {
            Preconditions.checkArgument(seconds >= 0, "retryAfterSeconds must not be negative");
            this.retryAfterSeconds = seconds;
            return this;
        }

        public ExchangeSimulator start() throws IOException {
            return new ExchangeSimulator(this);
        }
    }
}
