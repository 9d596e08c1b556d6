package io.depthflow.job.cli;

import io.depthflow.job.options.Args;
import io.depthflow.job.options.UsageException;
import io.depthflow.sources.capture.Recorder;
import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.rest.RestBookSource;
import io.depthflow.sources.venue.Venues;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code depthflow record --out FILE [--duration D]}: polls the exchanges with the job's own poll
 * loop and appends every response, failures included, to a capture file. With {@code --mode
 * stream}, records the WebSocket feeds instead ({@link StreamRecordCommand}).
 */
final class RecordCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: bin/depthflow record [--mode poll] --out FILE [--duration 10m] [--interval 60s]",
                    "       [--exchanges coinbase,kraken] [--markets BTC/USD,ETH/USD] [--<venue>-url URL, e.g. --coinbase-url URL]",
                    "  appends one JSON line per poll response (payload verbatim) to FILE; replay it with bin/depthflow run --replay FILE",
                    "",
                    StreamRecordCommand.USAGE);

    /** The value of {@code --mode} ({@code poll} when absent). */
    private static String modeOf(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--mode") && i + 1 < argv.length) {
                return argv[i + 1];
            }
            if (argv[i].startsWith("--mode=")) {
                return argv[i].substring("--mode=".length());
            }
        }
        return "poll";
    }

    private static String[] dropMode(String[] argv) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--mode")) {
                i++;
            } else if (!argv[i].startsWith("--mode=")) {
                out.add(argv[i]);
            }
        }
        return out.toArray(new String[0]);
    }

    private RecordCommand() {}

    /** {@code flags} plus {@code --<venue><suffix>} for every registered venue. */
    static Set<String> venueFlags(Set<String> flags, String suffix) {
        Set<String> all = new java.util.LinkedHashSet<>(flags);
        for (String venue : Venues.names()) {
            all.add("--" + venue + suffix);
        }
        return all;
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        String mode = modeOf(argv);
        if ("stream".equals(mode)) {
            return StreamRecordCommand.run(argv, err);
        }
        if (!"poll".equals(mode)) {
            throw new UsageException("record: --mode must be poll or stream, got '" + mode + "'");
        }
        Args a =
                Args.parse(
                        "record",
                        dropMode(argv),
                        venueFlags(
                                Set.of(
                                        "--out",
                                        "--duration",
                                        "--interval",
                                        "--exchanges",
                                        "--markets"),
                                "-url"),
                        Set.of());
        if (!a.positional().isEmpty()) {
            throw new UsageException("record: unexpected argument '" + a.positional().get(0) + "'");
        }
        Path file = Path.of(a.required("--out"));
        Duration duration = a.duration("--duration", Duration.ofMinutes(10));
        List<String> exchanges = a.list("--exchanges", Exchanges.DEFAULTS);
        List<String> markets = a.list("--markets", List.of(Markets.BTC_USD, Markets.ETH_USD));
        try {
            exchanges.forEach(Exchanges::validate);
            markets.forEach(Markets::validate);
        } catch (IllegalArgumentException e) {
            throw new UsageException("record: " + e.getMessage());
        }
        var b =
                RestBookSource.builder()
                        .setExchanges(exchanges.toArray(new String[0]))
                        .setMarkets(markets.toArray(new String[0]))
                        .setInterval(a.duration("--interval", Duration.ofSeconds(60)))
                        .setDuration(duration);
        for (String venue : Venues.names()) {
            if (a.has("--" + venue + "-url")) {
                b.setBaseUrl(venue, a.get("--" + venue + "-url", null));
            }
        }
        err.println(
                "depthflow: recording "
                        + String.join(",", exchanges)
                        + " "
                        + String.join(",", markets)
                        + " for "
                        + duration.toSeconds()
                        + " s into "
                        + file);
        long before = RecordSummary.linesIn(file);
        new Recorder(b.buildPollConfig()).record(file);
        return RecordSummary.finish(file, before, exchanges, err);
    }
}
