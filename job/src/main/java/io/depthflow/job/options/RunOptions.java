package io.depthflow.job.options;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.job.cross.LiquidityOptions;
import io.depthflow.job.io.kafka.KafkaRawOptions;
import io.depthflow.job.liquidity.Liquidity;
import io.depthflow.job.liquidity.TakerFees;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.capture.CaptureFormatException;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.venue.StreamProtocol;
import io.depthflow.sources.venue.Venue;
import io.depthflow.sources.venue.Venues;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code bin/depthflow run} and of the cluster entry point ({@link
 * io.depthflow.job.DepthflowJob#main}), which takes the same flags, validated once. Immutable. The
 * workflows ({@link io.depthflow.job.PollWorkflow}, {@link io.depthflow.job.StreamWorkflow}) read
 * the job's part; the terminal's part ({@code --data-dir}, {@code --web-port}, the dashboard,
 * {@code --quiet}, {@code --fresh}) is for {@code io.depthflow.job.cli.RunCommand}. It lives
 * outside {@code cli} so that the cluster entry needs nothing of the command line tool.
 */
public final class RunOptions {

    /**
     * The picocli model of {@code run}'s options, one per flag, the per-venue ones ({@code
     * --<venue>-url}, {@code --<venue>-ws-url}, {@code --<venue>-depth}) generated from the venue
     * registry; {@code bin/depthflow run --help} prints it. A new instance per call (a parse stores
     * its values in it).
     */
    public static CommandSpec spec() {
        CommandSpec s =
                CommandModel.command(
                        "run",
                        "run the pipeline in a local Flink mini cluster (live exchanges, or --replay FILE)",
                        "Polls (or streams) the exchanges' order books and writes the per-minute"
                                + " tables to ClickHouse; the cluster entry point takes the same options.");
        addExchangesOption(s, "exchanges to read");
        addMarketsOption(s, "markets");
        CommandModel.duration(
                s, "--interval", "poll interval per exchange and market (default 60s)");
        CommandModel.value(
                s,
                "--clickhouse-url",
                "URL",
                "a ClickHouse JDBC URL (jdbc:clickhouse://host:8123/default); user/password from"
                        + " CLICKHOUSE_USER / CLICKHOUSE_PASSWORD");
        CommandModel.value(
                s,
                "--data-dir",
                "DIR",
                "the run's directory (default ./data): the embedded ClickHouse (unless"
                        + " --clickhouse-url), checkpoints/ and logs/depthflow.log. A live run started"
                        + " again on it resumes from its latest checkpoint");
        CommandModel.flag(
                s, "--fresh", "start from empty state: delete DIR/checkpoints instead of resuming");
        CommandModel.value(
                s, "--replay", "FILE", "run over a capture file instead of live polls, then exit");
        CommandModel.duration(
                s, "--duration", "stop polling after D (e.g. 10m), write the last windows, exit");
        CommandModel.value(
                s,
                "--notionals",
                "N,N,...",
                "quote and route notionals in USD (default the slippage ladder "
                        + joined(Liquidity.DEFAULT_NOTIONALS_USD)
                        + ")");
        CommandModel.value(
                s,
                "--taker-fee-bps",
                "V=F,...",
                "taker fee per venue in bps for the all-in quotes and routes (e.g. "
                        + feeExample()
                        + "; default each venue's public base-tier fee)");
        CommandModel.value(
                s,
                "--bands",
                "B,B,...",
                "depth bands in bps of the mid (default "
                        + joined(
                                java.util.Arrays.stream(Liquidity.DEFAULT_BANDS_BPS)
                                        .boxed()
                                        .toList())
                        + ")");
        CommandModel.duration(
                s,
                "--out-of-orderness",
                "how late a message may arrive before its minute is closed (default 5s; polling,"
                        + " replay, Kafka; the live stream source needs none)");
        CommandModel.integer(s, "--parallelism", "N", 1, 256, "Flink parallelism (default 2)");
        CommandModel.duration(
                s,
                "--checkpoint-interval",
                "checkpoint interval (default 30s; sinks flush on checkpoints)");
        CommandModel.integer(
                s, "--raw-ttl-days", "N", 1, 36_500, "keep raw payloads N days (default 30)");
        CommandModel.integer(
                s,
                "--web-port",
                "P",
                0,
                65_535,
                "Flink web UI port on localhost (default 8081; 0 = any free port)");
        CommandModel.integer(
                s,
                "--dashboard-port",
                "P",
                0,
                65_535,
                "the live dashboard's port (default 8088; 0 = any free port)");
        CommandModel.value(
                s,
                "--dashboard-bind",
                "ADDR",
                "the dashboard's address (default 127.0.0.1; 0.0.0.0 = every interface)");
        CommandModel.flag(s, "--no-dashboard", "do not serve the dashboard");
        CommandModel.integer(
                s,
                "--clock-speed",
                "N",
                1,
                3_600,
                "demo/test only, with the simulator: run the source clock N times faster than real"
                        + " time (a minute window every 60/N s); needs --clock-start");
        CommandModel.value(
                s,
                "--clock-start",
                "INSTANT",
                "where the fast clock agrees with the wall clock (e.g. 2026-11-22T10:00:00Z); give"
                        + " the same value when resuming from a savepoint");
        CommandModel.flag(s, "--quiet", "do not print the per-minute table");
        CommandModel.value(
                s,
                "--kafka-bootstrap",
                "HOST:PORT,...",
                "Kafka raw log: also write every raw message to the raw log on this Kafka cluster;"
                        + " with --source kafka, read the raw messages from there instead");
        CommandModel.value(
                s,
                "--kafka-topic",
                "T",
                "raw log topic (default " + KafkaRawOptions.DEFAULT_TOPIC + ")");
        CommandModel.value(
                s,
                "--kafka-delivery",
                "G",
                "writing: exactly-once (default; transactions committed on checkpoints) or"
                        + " at-least-once");
        CommandModel.value(
                s,
                "--kafka-transactional-id-prefix",
                "P",
                "writing exactly-once: unique per job on a cluster (default depthflow-<topic>)");
        CommandModel.value(
                s,
                "--source",
                "rest|kafka",
                "where raw messages come from: the exchanges (default) or the raw log");
        CommandModel.value(
                s,
                "--kafka-start",
                "S",
                "reading: earliest (default), latest, or from the minute of an ISO-8601 time"
                        + " (2026-11-20T11:45:00Z)");
        CommandModel.value(
                s,
                "--kafka-group-id",
                "G",
                "reading: consumer group for committed offsets (default "
                        + KafkaRawOptions.DEFAULT_GROUP_ID
                        + ")");
        CommandModel.flag(
                s,
                "--kafka-bounded",
                "reading: stop at the end of the log as of the start, write the last windows, exit");
        CommandModel.value(
                s,
                "--mode",
                "poll|stream",
                "poll REST books (default) or stream the WebSocket feeds; with --replay, the"
                        + " capture's first line decides unless --mode is given");
        CommandModel.duration(
                s,
                "--stale-after",
                "stream mode: a feed silent this long is stale: its books are dropped, it"
                        + " reconnects (default 10s)");
        addVenueOptions(s, true, true);
        return s;
    }

    /**
     * {@code --exchanges A,B,...}, its help naming the default venues and every registered one:
     * {@code what (default coinbase,kraken; any of ...)}.
     */
    public static void addExchangesOption(CommandSpec s, String what) {
        CommandModel.value(
                s,
                "--exchanges",
                "A,B,...",
                what
                        + " (default "
                        + String.join(",", Exchanges.DEFAULTS)
                        + "; any of "
                        + String.join(",", Venues.names())
                        + ")");
    }

    /** {@code --markets M,M,...}, its help naming the default markets. */
    public static void addMarketsOption(CommandSpec s, String what) {
        CommandModel.value(
                s,
                "--markets",
                "M,M,...",
                what + " (default " + Markets.BTC_USD + "," + Markets.ETH_USD + ")");
    }

    /**
     * Adds {@code --<venue>-url} (with {@code rest}) and {@code --<venue>-ws-url} and {@code
     * --<venue>-depth} (with {@code stream}) for every registered venue, each described with the
     * venue's own default.
     */
    public static void addVenueOptions(CommandSpec s, boolean rest, boolean stream) {
        for (Venue v : Venues.ALL) {
            if (rest) {
                CommandModel.value(
                        s,
                        restUrlFlag(v.name()),
                        "URL",
                        v.name() + "'s REST base URL (default " + v.rest().defaultBaseUrl() + ")");
            }
        }
        if (!stream) {
            return;
        }
        for (Venue v : Venues.ALL) {
            StreamProtocol p = v.stream();
            CommandModel.value(
                    s,
                    wsUrlFlag(v.name()),
                    "URL",
                    v.name() + "'s WebSocket URL (default " + p.defaultUrl() + ")");
            if (!p.depths().isEmpty()) {
                CommandModel.integer(
                        s,
                        depthFlag(v.name()),
                        "N",
                        1,
                        Integer.MAX_VALUE,
                        v.name()
                                + "'s subscription depth: one of "
                                + joined(p.depths())
                                + " (default "
                                + p.defaultDepth()
                                + ")");
            }
        }
    }

    private static String joined(List<? extends Number> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    /** {@code coinbase=60,kraken=40}: the default venues with their public fees. */
    private static String feeExample() {
        TakerFees fees = TakerFees.defaults();
        return String.join(
                ",",
                Exchanges.DEFAULTS.stream()
                        .map(e -> e + "=" + fees.feeBps(e).stripTrailingZeros().toPlainString())
                        .toList());
    }

    public static String restUrlFlag(String venue) {
        return "--" + venue + "-url";
    }

    public static String wsUrlFlag(String venue) {
        return "--" + venue + "-ws-url";
    }

    public static String depthFlag(String venue) {
        return "--" + venue + "-depth";
    }

    /** {@code --source}: the exchanges' REST books (or a capture file with {@code --replay}). */
    public static final String SOURCE_REST = "rest";

    /** {@code --source}: the Kafka raw log. */
    public static final String SOURCE_KAFKA = "kafka";

    private static final List<String> KAFKA_READ_FLAGS =
            List.of("--kafka-start", "--kafka-group-id", "--kafka-bounded");
    private static final List<String> KAFKA_WRITE_FLAGS =
            List.of("--kafka-delivery", "--kafka-transactional-id-prefix");

    public final List<String> exchanges;
    public final List<String> markets;
    public final Duration interval;
    public final String clickhouseUrl;
    public final Path dataDir;
    public final Path replay;
    public final Duration duration;
    public final long[] notionals;

    /** {@code --taker-fee-bps} over the public fees, {@code --bands}, and the notionals. */
    public final LiquidityOptions liquidity;

    /** REST base URL per registered venue ({@code --<venue>-url} or the venue's default). */
    public final Map<String, String> restUrls;

    public final Duration outOfOrderness;
    public final int parallelism;
    public final Duration checkpointInterval;
    public final int rawTtlDays;
    public final int webPort;

    /** The live dashboard's port; -1 with {@code --no-dashboard}. */
    public final int dashboardPort;

    public final String dashboardBind;
    public final boolean quiet;

    /** Start from empty state rather than the data directory's latest checkpoint. */
    public final boolean fresh;

    /** 1 = the wall clock; N > 1 = {@link AcceleratedClock} anchored at {@link #clockStart}. */
    public final int clockSpeed;

    public final Instant clockStart;

    /** {@link #SOURCE_REST} or {@link #SOURCE_KAFKA}. */
    public final String source;

    /** The Kafka raw log, null without {@code --kafka-bootstrap}. */
    public final KafkaRawOptions kafka;

    /** Stream mode: live WebSocket books (or a WebSocket capture replayed). */
    public final boolean stream;

    /** WebSocket URL per registered venue ({@code --<venue>-ws-url} or the venue's default). */
    public final Map<String, String> wsUrls;

    /**
     * Subscription depth per venue that takes one ({@code --<venue>-depth} or the venue's default).
     */
    public final Map<String, Integer> depths;

    public final Duration staleAfter;

    private RunOptions(ParsedOptions a) throws UsageException {
        exchanges = a.list("--exchanges", Exchanges.DEFAULTS);
        for (String e : exchanges) {
            try {
                Exchanges.validate(e);
            } catch (IllegalArgumentException ex) {
                throw new UsageException("run: " + ex.getMessage());
            }
        }
        markets = a.list("--markets", List.of(Markets.BTC_USD, Markets.ETH_USD));
        for (String m : markets) {
            try {
                Markets.validate(m);
            } catch (IllegalArgumentException ex) {
                throw new UsageException("run: " + ex.getMessage());
            }
        }
        if (exchanges.isEmpty() || markets.isEmpty()) {
            throw new UsageException("run: --exchanges and --markets must name at least one each");
        }
        interval = a.value("--interval", Duration.ofSeconds(60));
        clickhouseUrl = a.get("--clickhouse-url", null);
        if (clickhouseUrl != null
                && !clickhouseUrl.startsWith("jdbc:clickhouse:")
                && !clickhouseUrl.startsWith("jdbc:ch:")) {
            throw new UsageException(
                    "run: --clickhouse-url must be a JDBC URL like jdbc:clickhouse://127.0.0.1:8123/default, got '"
                            + ClickHouseSinkOptions.redact(clickhouseUrl)
                            + "'");
        }
        dataDir = Path.of(a.get("--data-dir", "data"));
        replay = a.has("--replay") ? a.existingFile("--replay") : null;
        duration = a.<Duration>value("--duration", null);
        if (replay != null && (duration != null || a.has("--interval"))) {
            throw new UsageException(
                    "run: --replay runs over the file's own times; --duration and --interval do not apply");
        }
        List<String> ns =
                a.list(
                        "--notionals",
                        io.depthflow.job.liquidity.Liquidity.DEFAULT_NOTIONALS_USD.stream()
                                .map(String::valueOf)
                                .toList());
        if (ns.isEmpty()) {
            throw new UsageException("run: --notionals must name at least one notional");
        }
        notionals = new long[ns.size()];
        for (int i = 0; i < ns.size(); i++) {
            notionals[i] = a.positiveLong("--notionals", ns.get(i));
            // The notional columns are UInt32 (whole dollars): a larger value would be stored
            // wrapped.
            if (notionals[i] > 0xffff_ffffL) {
                throw new UsageException(
                        "run: --notionals "
                                + ns.get(i)
                                + " is above 4294967295 USD, the largest the tables hold");
            }
        }
        liquidity = liquidity(a, notionals);
        Map<String, String> rest = new LinkedHashMap<>();
        for (Venue v : Venues.ALL) {
            rest.put(v.name(), url(a, restUrlFlag(v.name()), v.rest().defaultBaseUrl()));
        }
        restUrls = Map.copyOf(rest);
        outOfOrderness = a.value("--out-of-orderness", Duration.ofSeconds(5));
        parallelism = a.value("--parallelism", 2);
        checkpointInterval = a.value("--checkpoint-interval", Duration.ofSeconds(30));
        rawTtlDays = a.value("--raw-ttl-days", 30);
        webPort = a.value("--web-port", 8081);
        dashboardPort = a.has("--no-dashboard") ? -1 : a.value("--dashboard-port", 8088);
        dashboardBind = a.get("--dashboard-bind", "127.0.0.1");
        quiet = a.has("--quiet");
        fresh = a.has("--fresh");
        clockSpeed = a.value("--clock-speed", 1);
        clockStart = clockStart(a);
        source = a.get("--source", SOURCE_REST);
        kafka = kafka(a, source, replay != null);
        stream = isStreamMode(a.get("--mode", null), replay);
        if (stream && a.has("--interval")) {
            throw new UsageException(
                    "run: --interval is for poll mode; stream mode receives every book change");
        }
        Map<String, String> ws = new LinkedHashMap<>();
        Map<String, Integer> depth = new LinkedHashMap<>();
        for (Venue v : Venues.ALL) {
            StreamProtocol protocol = v.stream();
            ws.put(
                    v.name(),
                    wsUrl(a.get(wsUrlFlag(v.name()), protocol.defaultUrl()), wsUrlFlag(v.name())));
            if (!protocol.depths().isEmpty()) {
                depth.put(
                        v.name(),
                        depth(
                                "run",
                                v.name(),
                                a.value(depthFlag(v.name()), protocol.defaultDepth())));
            }
        }
        wsUrls = Map.copyOf(ws);
        depths = Map.copyOf(depth);
        staleAfter = a.value("--stale-after", Duration.ofSeconds(10));
        if (fresh && !resumable()) {
            throw new UsageException(
                    "run: --fresh is for live runs, which resume from their checkpoints;"
                            + " --replay and --kafka-bounded always start from the beginning");
        }
    }

    /** Whether a chosen venue is polled at its real REST URL (its default), not at a simulator. */
    public boolean pollsALiveVenue() {
        return exchanges.stream()
                .anyMatch(e -> restUrls.get(e).equals(Venues.get(e).rest().defaultBaseUrl()));
    }

    /**
     * Whether this run keeps checkpoints in its data directory and resumes from them: live runs
     * (polls, WebSockets, an unbounded raw-log reader). A bounded run starts from its input's
     * beginning every time.
     */
    public boolean resumable() {
        return replay == null && !(readsRawLog() && kafka.bounded());
    }

    /**
     * The clock of the sources. {@code --clock-speed} exists for demos and tests against the
     * exchange simulator, which serves a moving book at any request rate; against a real exchange
     * it would only poll faster and stamp wrong times, so it requires both simulator URLs. The
     * anchor is explicit so that a job resumed from a savepoint continues the same event time.
     */
    private Instant clockStart(ParsedOptions a) throws UsageException {
        if (clockSpeed == 1) {
            if (a.has("--clock-start")) {
                throw new UsageException(
                        "run: --clock-start only applies with --clock-speed N (N > 1)");
            }
            return null;
        }
        if (replay != null) {
            throw new UsageException(
                    "run: --replay runs over the file's own times; --clock-speed does not apply");
        }
        for (String e : exchanges) {
            if (!a.has(restUrlFlag(e))) {
                throw new UsageException(
                        "run: --clock-speed is a demo/test feature for the exchange simulator"
                                + " (bin/depthflow simulate); give "
                                + String.join(
                                        " and ",
                                        exchanges.stream().map(RunOptions::restUrlFlag).toList()));
            }
        }
        String v = a.required("--clock-start");
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new UsageException(
                    "run: --clock-start must be an instant like 2026-11-22T10:00:00Z, got '"
                            + v
                            + "'");
        }
    }

    /** The sources' clock: the wall clock, or the accelerated clock of {@code --clock-speed}. */
    public SourceClock clock() {
        return clockSpeed == 1
                ? SourceClock.system()
                : AcceleratedClock.anchoredAt(clockStart.toEpochMilli(), clockSpeed);
    }

    /** Whether raw messages are also written to the Kafka raw log. */
    public boolean writesRawLog() {
        return kafka != null && !readsRawLog();
    }

    /** Whether raw messages are read from the Kafka raw log. */
    public boolean readsRawLog() {
        return SOURCE_KAFKA.equals(source);
    }

    private static KafkaRawOptions kafka(ParsedOptions a, String source, boolean replay)
            throws UsageException {
        if (!SOURCE_REST.equals(source) && !SOURCE_KAFKA.equals(source)) {
            throw new UsageException("run: --source is rest or kafka, got '" + source + "'");
        }
        boolean reading = SOURCE_KAFKA.equals(source);
        if (!a.has("--kafka-bootstrap")) {
            if (reading) {
                throw new UsageException(
                        "run: --source kafka needs --kafka-bootstrap HOST:PORT (the Kafka cluster holding the raw log)");
            }
            for (String flag : a.names()) {
                if (flag.startsWith("--kafka-")) {
                    throw new UsageException("run: " + flag + " needs --kafka-bootstrap HOST:PORT");
                }
            }
            return null;
        }
        if (reading && replay) {
            throw new UsageException("run: --replay and --source kafka are two inputs; give one");
        }
        if (reading && (a.has("--duration") || a.has("--interval"))) {
            throw new UsageException(
                    "run: --source kafka reads the log's own times; --duration and --interval do not apply");
        }
        for (String flag : reading ? KAFKA_WRITE_FLAGS : KAFKA_READ_FLAGS) {
            if (a.has(flag)) {
                throw new UsageException(
                        "run: "
                                + flag
                                + (reading
                                        ? " is for writing the raw log; it does not apply with --source kafka"
                                        : " is for reading the raw log; it needs --source kafka"));
            }
        }
        KafkaRawOptions.Builder b = KafkaRawOptions.builder();
        kafkaFlag("--kafka-bootstrap", () -> b.bootstrapServers(a.get("--kafka-bootstrap", null)));
        kafkaFlag(
                "--kafka-topic",
                () -> b.topic(a.get("--kafka-topic", KafkaRawOptions.DEFAULT_TOPIC)));
        kafkaFlag("--kafka-delivery", () -> b.delivery(a.get("--kafka-delivery", "exactly-once")));
        kafkaFlag("--kafka-start", () -> b.start(a.get("--kafka-start", "earliest")));
        kafkaFlag(
                "--kafka-group-id",
                () -> b.groupId(a.get("--kafka-group-id", KafkaRawOptions.DEFAULT_GROUP_ID)));
        if (a.has("--kafka-transactional-id-prefix")) {
            kafkaFlag(
                    "--kafka-transactional-id-prefix",
                    () -> b.transactionalIdPrefix(a.get("--kafka-transactional-id-prefix", null)));
        }
        return b.bounded(a.has("--kafka-bounded")).build();
    }

    private static void kafkaFlag(String flag, Runnable setter) throws UsageException {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            throw new UsageException("run: " + flag + ": " + e.getMessage());
        }
    }

    private static String url(ParsedOptions a, String flag, String def) throws UsageException {
        String v = a.get(flag, def);
        if (!v.startsWith("http://") && !v.startsWith("https://")) {
            throw new UsageException("run: " + flag + " must be an http(s) URL, got '" + v + "'");
        }
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }

    public static RunOptions parse(String[] argv) throws UsageException {
        return new RunOptions(CommandModel.parse(spec(), argv));
    }

    /** {@code --taker-fee-bps} and {@code --bands}, checked, with the notionals. */
    private static LiquidityOptions liquidity(ParsedOptions a, long[] notionals)
            throws UsageException {
        TakerFees fees;
        try {
            fees = TakerFees.parse(a.get("--taker-fee-bps", null));
        } catch (IllegalArgumentException e) {
            throw new UsageException("run: --taker-fee-bps: " + e.getMessage());
        }
        List<String> bs = a.list("--bands", null);
        int[] bands = bs == null ? Liquidity.DEFAULT_BANDS_BPS.clone() : new int[bs.size()];
        if (bs != null) {
            if (bs.isEmpty()) {
                throw new UsageException(
                        "run: --bands must name at least one band in bps, e.g. 10,25,50,100,200");
            }
            for (int i = 0; i < bs.size(); i++) {
                long b = a.positiveLong("--bands", bs.get(i));
                if (b >= 10_000) {
                    throw new UsageException(
                            "run: --bands "
                                    + bs.get(i)
                                    + " is not below 10000 bps (100 % of the mid)");
                }
                bands[i] = (int) b;
            }
        }
        return new LiquidityOptions(fees, bands, notionals);
    }

    /**
     * {@code --mode}; without it, a replayed capture whose first record is a WebSocket line is
     * stream mode.
     */
    public static boolean isStreamMode(String mode, Path replay) throws UsageException {
        if (mode != null) {
            if (!mode.equals("poll") && !mode.equals("stream")) {
                throw new UsageException("run: --mode must be poll or stream, got '" + mode + "'");
            }
            return mode.equals("stream");
        }
        if (replay == null) {
            return false;
        }
        // The first line that is a capture record decides: a bad line before it becomes an
        // ingest_errors row in the run, it does not stop it (hence a reader that replaces bytes
        // that are not UTF-8 instead of failing on them).
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                Files.newInputStream(replay), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    String kind;
                    try {
                        kind = CaptureFormat.decode(line).kind;
                    } catch (CaptureFormatException notARecord) {
                        continue;
                    }
                    return RawMessage.KIND_WS.equals(kind) || RawMessage.KIND_WS_EVENT.equals(kind);
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // RunCommand.requireCaptureRecords says what is wrong with the file (exit
            // 1)
        }
    }

    public static String wsUrl(String url, String flag) throws UsageException {
        if (!url.startsWith("ws://") && !url.startsWith("wss://")) {
            throw new UsageException(
                    "run: " + flag + " must be a ws:// or wss:// URL, got '" + url + "'");
        }
        return url;
    }

    /** A subscription depth the venue accepts ({@code --<venue>-depth}). */
    public static int depth(String command, String venue, int depth) throws UsageException {
        List<Integer> allowed = Venues.get(venue).stream().depths();
        if (!allowed.contains(depth)) {
            throw new UsageException(
                    command
                            + ": --"
                            + venue
                            + "-depth must be one of "
                            + allowed
                            + ", got "
                            + depth);
        }
        return depth;
    }
}
