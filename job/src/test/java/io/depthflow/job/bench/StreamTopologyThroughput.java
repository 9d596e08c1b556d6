package io.depthflow.job.bench;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.job.JobEnvironment;
import io.depthflow.job.Outputs;
import io.depthflow.job.StreamWorkflow;
import io.depthflow.job.book.BookSync;
import io.depthflow.job.stream.BookEventDecoder;
import io.depthflow.job.stream.BookMessageHandler;
import io.depthflow.job.stream.ConnectionTracker;
import io.depthflow.job.testing.LoopbackFlink;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamScript;
import io.depthflow.sources.venue.coinbase.CoinbaseVenue;
import io.depthflow.sources.venue.kraken.KrakenVenue;
import io.depthflow.sources.ws.BookEvent;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * A MiniCluster throughput run of the whole stream topology ({@link StreamWorkflow}: the decode
 * step chained to the source, which tracks the connections and parses each message once into a
 * {@code BookEvent}, keyBy, the book builder with its keyed state and windows, the cross-exchange
 * SQL stage) on a synthetic high-rate feed of many books, into counting sinks that keep nothing.
 * Not a test: run it with
 *
 * <pre>
 * ./mvnw -B -q -pl job -am test-compile -Pbench -Dbench=StreamTopologyThroughput [-Dbench.args="--markets 500 --rounds 4000"]
 * </pre>
 *
 * <p>The feed is {@link StreamScript}'s session of both exchanges over {@code --markets} markets
 * each (so twice as many books), {@code --rounds} rounds in which every book takes one step, 100 ms
 * of event time apart: exactly what the simulator's WebSockets would send (Kraken v2 JSON with
 * checksums, Coinbase Advanced level2 with sequence numbers), generated in memory before the job
 * starts so that the source costs next to nothing. Each exchange's connection is one split of a
 * parallelism-2 source, in order, as the live source delivers it.
 *
 * <p>Also reported, before the job runs: the same per-message work on one thread without Flink
 * (decode step and book handling, {@link #bookCodeAlone}), twice; the topology's figure divided by
 * it says how well the job uses the two cores.
 *
 * <p>Reported: WebSocket messages per second and level changes per second, over the steady part of
 * the run (from 20% to 90% of the messages, sampled every 250 ms) and over the whole run; and from
 * the checkpoints taken meanwhile (hashmap state backend, full snapshots), the {@code book-builder}
 * vertex's checkpointed state size divided by the levels its books held (computed independently by
 * replaying the feed through the same book code without Flink).
 */
public final class StreamTopologyThroughput {

    /** The feed, shared with the source through the JVM (MiniCluster): generated once. */
    static RawMessage[] messages;

    static final LongAdder EMITTED = new LongAdder();
    static final Map<String, LongAdder> OUTPUTS = new HashMap<>();

    private StreamTopologyThroughput() {}

    public static void main(String[] args) throws Exception {
        int markets = 500;
        int rounds = 4_000;
        int krakenDepth = 100;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--markets" -> markets = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--kraken-depth" -> krakenDepth = Integer.parseInt(args[i + 1]);
                default ->
                        throw new IllegalArgumentException(
                                "unknown option "
                                        + args[i]
                                        + " (--markets N, --rounds N, --kraken-depth N)");
            }
        }
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, max heap %d MiB, %s %s%n",
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"));

        long t0 = System.nanoTime();
        List<String> names =
                IntStream.range(0, markets)
                        .mapToObj(i -> String.format(Locale.ROOT, "M%04d/USD", i))
                        .toList();
        List<RawMessage> kraken = script(KrakenVenue.NAME, names, rounds, krakenDepth);
        List<RawMessage> coinbase = script(CoinbaseVenue.NAME, names, rounds, krakenDepth);
        // One split per connection: the first half of the sequence is Kraken's, the second
        // Coinbase's.
        int half = Math.min(kraken.size(), coinbase.size());
        messages = new RawMessage[2 * half];
        for (int i = 0; i < half; i++) {
            messages[i] = kraken.get(i);
            messages[half + i] = coinbase.get(i);
        }
        Feed feed = Feed.measure(messages);
        System.out.printf(
                Locale.ROOT,
                "feed: %,d books, %,d WebSocket messages (%,d book updates carrying %,d level changes), "
                        + "%.1f min of event time, generated in %.1f s%n",
                2 * markets,
                messages.length,
                feed.updates,
                feed.levelChanges,
                rounds * 100 / 60_000.0,
                (System.nanoTime() - t0) / 1e9);
        System.out.printf(
                Locale.ROOT,
                "books held %,d to %,d levels in all once every snapshot was in (%,d at the end)%n",
                feed.minLevels,
                feed.maxLevels,
                feed.endLevels);

        for (int pass = 1; pass <= 2; pass++) {
            double alone = bookCodeAlone(messages);
            System.out.printf(
                    Locale.ROOT,
                    "book code alone, one thread, pass %d (connection tracking, parsing, books, checksums;"
                            + " no Flink): %,.0f messages/s = %,.0f level changes/s%n",
                    pass,
                    alone,
                    alone * feed.levelChanges / messages.length);
        }

        int restPort = freePort();
        Configuration conf = LoopbackFlink.loopbackOnly(new Configuration());
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, restPort);
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        Path checkpoints = Files.createTempDirectory("depthflow-bench-checkpoints");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobEnvironment.configure(env, 2, 3_000);

        DataStream<RawMessage> raw =
                env.fromSequence(0, messages.length - 1)
                        .uid("bench-sequence")
                        .map(
                                i -> {
                                    EMITTED.increment();
                                    return messages[(int) (long) i];
                                })
                        .returns(TypeInformation.of(RawMessage.class))
                        .uid("bench-feed")
                        .name("Synthetic feed")
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<RawMessage>forBoundedOutOfOrderness(
                                                Duration.ofSeconds(5))
                                        .withTimestampAssigner((m, ts) -> m.receivedAt))
                        .uid("bench-watermarks");
        Outputs out = StreamWorkflow.define(env, raw, new long[] {50_000, 100_000});
        count(out.errors(), "errors");
        count(out.slices(), "slices");
        count(out.exchangeMids(), "exchange mids");
        count(out.allMids(), "cross-exchange mids");
        count(out.quotes(), "quotes");
        count(out.bestExecution(), "best execution");

        JobClient job = env.executeAsync("depthflow stream throughput");
        long start = System.nanoTime();
        List<long[]> samples = new ArrayList<>();
        Checkpoints cps = new Checkpoints(restPort, job.getJobID().toString());
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        while (!result.isDone()) {
            samples.add(new long[] {System.nanoTime(), EMITTED.sum()});
            cps.poll();
            Thread.sleep(250);
        }
        result.get();
        long end = System.nanoTime();
        samples.add(new long[] {end, EMITTED.sum()});

        long total = messages.length;
        double perChange = feed.levelChanges / (double) total;
        double steady = steadyRate(samples, total);
        double whole = total / ((end - start) / 1e9);
        System.out.printf(
                Locale.ROOT,
                "throughput, steady (20%%..90%% of the feed): %,.0f messages/s = %,.0f level changes/s%n",
                steady,
                steady * perChange);
        System.out.printf(
                Locale.ROOT,
                "throughput, whole run (job start to end, %.1f s): %,.0f messages/s = %,.0f level changes/s%n",
                (end - start) / 1e9,
                whole,
                whole * perChange);
        OUTPUTS.forEach(
                (name, n) -> System.out.printf(Locale.ROOT, "  %s: %,d records%n", name, n.sum()));
        if (cps.all.isEmpty()) {
            System.out.println("no checkpoint completed during the run");
        }
        // The first checkpoints may come before every snapshot is in: per level, they overstate.
        for (Checkpoints.Stat c : cps.all) {
            System.out.printf(
                    Locale.ROOT,
                    "checkpoint %d: book-builder state %,d bytes = %.1f to %.1f bytes per level held"
                            + " (%,d to %,d levels); whole checkpoint %,d bytes%n",
                    c.id(),
                    c.bookBuilderBytes(),
                    c.bookBuilderBytes() / (double) feed.maxLevels,
                    c.bookBuilderBytes() / (double) feed.minLevels,
                    feed.minLevels,
                    feed.maxLevels,
                    c.totalBytes());
        }
        try (var files = Files.walk(checkpoints)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.exit(0);
    }

    private static List<RawMessage> script(
            String exchange, List<String> markets, int rounds, int krakenDepth) {
        return StreamScript.builder()
                .seed(KrakenVenue.NAME.equals(exchange) ? 1 : 2)
                .exchanges(List.of(exchange))
                .markets(markets)
                .depth("kraken", krakenDepth)
                .levels("coinbase", UpdateStream.LEVELS_PER_SIDE)
                .updates(rounds)
                .stepMillis(100)
                .start(1_764_000_000_000L)
                .build()
                .messages();
    }

    /**
     * Messages per second through the job's per-message code on one thread, without Flink: the
     * decode step of {@code track-connections} ({@link ConnectionTracker}, then {@link
     * BookEventDecoder}: the venue's parser, the checksum on its own copy of a checksummed book)
     * and the {@code book-builder}'s event handling ({@link BookMessageHandler} on each book's
     * {@link BookSync}), in the order the two source subtasks deliver them: the same work the
     * topology does per message, decode included. Windows are left out (they are per minute, not
     * per message).
     */
    private static double bookCodeAlone(RawMessage[] messages) {
        long[] applied = new long[1];
        BookCode code = new BookCode((e, result, levelsAdded) -> applied[0]++, error -> {});
        int half = messages.length / 2;
        long start = System.nanoTime();
        for (int j = 0; j < half; j++) {
            code.accept(messages[j]);
            code.accept(messages[half + j]);
        }
        long elapsed = System.nanoTime() - start;
        if (applied[0] < messages.length / 2) {
            throw new IllegalStateException("only " + applied[0] + " messages reached a book");
        }
        return messages.length / (elapsed / 1e9);
    }

    /**
     * The job's per-message code without Flink, on one thread: {@code track-connections}' decode
     * step ({@link ConnectionTracker}, then {@link BookEventDecoder}) and, for each event, {@link
     * BookMessageHandler} on its book's {@link BookSync}.
     */
    static final class BookCode {

        /** What each event did: its result and how many levels its book gained (or lost). */
        interface Applied {
            void applied(BookEvent event, BookMessageHandler.Result result, long levelsAdded);
        }

        final Map<String, BookSync> books = new HashMap<>();
        private final ConnectionTracker tracker = new ConnectionTracker();
        private final ConnectionTracker.Output out;

        BookCode(Applied applied, Consumer<IngestError> errors) {
            BookEventDecoder decoder = new BookEventDecoder();
            BookMessageHandler handler = new BookMessageHandler();
            BookEventDecoder.Output decoded =
                    new BookEventDecoder.Output() {
                        @Override
                        public void event(BookEvent e) {
                            BookSync sync =
                                    books.computeIfAbsent(
                                            e.exchange + "|" + e.market,
                                            k -> BookSync.forExchange(e.exchange));
                            long before = sync.book().levelCount();
                            BookMessageHandler.Result r = handler.handle(e, sync, errors);
                            applied.applied(e, r, sync.book().levelCount() - before);
                        }

                        @Override
                        public void error(IngestError error) {
                            errors.accept(error);
                        }
                    };
            out =
                    new ConnectionTracker.Output() {
                        @Override
                        public void forward(RawMessage m) {
                            decoder.decode(m, Long.MIN_VALUE, decoded);
                        }

                        @Override
                        public void error(IngestError error) {
                            errors.accept(error);
                        }
                    };
        }

        void accept(RawMessage m) {
            tracker.onMessage(m, out);
        }
    }

    /** Rate over the samples between 20% and 90% of the feed. */
    private static double steadyRate(List<long[]> samples, long total) {
        long[] from = null;
        long[] to = null;
        for (long[] s : samples) {
            if (from == null && s[1] >= total / 5) {
                from = s;
            }
            if (to == null && s[1] >= total * 9 / 10) {
                to = s;
            }
        }
        if (from == null || to == null || to == from) {
            return Double.NaN;
        }
        return (to[1] - from[1]) / ((to[0] - from[0]) / 1e9);
    }

    private static <T> void count(DataStream<T> stream, String name) {
        OUTPUTS.put(name, new LongAdder());
        stream.sinkTo(new CountingSink<>(name))
                .uid("bench-sink-" + name.replace(' ', '-'))
                .name("Count " + name);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Keeps nothing: counts the records of one output (same JVM as the MiniCluster). */
    static final class CountingSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final String name;

        CountingSink(String name) {
            this.name = name;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            LongAdder n = OUTPUTS.get(name);
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context ctx) {
                    n.increment();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /** The feed's figures, from the same book code the job runs, without Flink. */
    record Feed(long updates, long levelChanges, long minLevels, long maxLevels, long endLevels) {
        static Feed measure(RawMessage[] messages) {
            long[] n = new long[4]; // updates, changes, levels, snapshots
            BookCode code =
                    new BookCode(
                            (e, r, levelsAdded) -> {
                                n[2] += levelsAdded;
                                if (r == BookMessageHandler.Result.SNAPSHOT) {
                                    n[3]++;
                                } else if (r == BookMessageHandler.Result.UPDATE) {
                                    n[0]++;
                                    n[1] += e.levelCount();
                                }
                            },
                            e -> {
                                throw new IllegalStateException(
                                        "the synthetic feed has an error: " + e);
                            });
            Map<String, BookSync> books = code.books;
            long min = Long.MAX_VALUE;
            long max = 0;
            int half = messages.length / 2;
            // Interleave the two connections as the job's two source subtasks do.
            for (int j = 0; j < half; j++) {
                code.accept(messages[j]);
                code.accept(messages[half + j]);
                if (n[3] == books.size() && !books.isEmpty() && j > half / 10) {
                    min = Math.min(min, n[2]);
                    max = Math.max(max, n[2]);
                }
            }
            long updates = n[0];
            long changes = n[1];
            long levels = n[2];
            return new Feed(updates, changes, min, max, levels);
        }
    }

    /**
     * Polls the MiniCluster's REST API for completed checkpoints and keeps the book-builder's size.
     */
    static final class Checkpoints {
        private final HttpClient http = HttpClient.newHttpClient();
        private final ObjectMapper json = new ObjectMapper();
        private final String base;
        private String bookBuilderVertex;
        private final AtomicLong seen = new AtomicLong(-1);
        final List<Stat> all = new ArrayList<>();

        record Stat(long id, long bookBuilderBytes, long totalBytes) {}

        Checkpoints(int port, String jobId) {
            this.base = "http://127.0.0.1:" + port + "/jobs/" + jobId;
        }

        void poll() {
            try {
                if (bookBuilderVertex == null) {
                    for (JsonNode v : get("").path("vertices")) {
                        if (v.path("name").asText().contains("Book builder")) {
                            bookBuilderVertex = v.path("id").asText();
                        }
                    }
                }
                JsonNode latest = get("/checkpoints").path("latest").path("completed");
                long id = latest.path("id").asLong(-1);
                if (id < 0 || id == seen.get() || bookBuilderVertex == null) {
                    return;
                }
                seen.set(id);
                long vertexBytes =
                        get("/checkpoints/details/" + id)
                                .path("tasks")
                                .path(bookBuilderVertex)
                                .path("state_size")
                                .asLong();
                all.add(new Stat(id, vertexBytes, latest.path("state_size").asLong()));
            } catch (IOException | InterruptedException e) {
                // the job may be finishing; the next poll or the report says what was seen
            }
        }

        private JsonNode get(String path) throws IOException, InterruptedException {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create(base + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return json.readTree(r.body());
        }
    }
}
