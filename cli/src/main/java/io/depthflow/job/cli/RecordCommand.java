package io.depthflow.job.cli;

import io.depthflow.job.options.CommandModel;
import io.depthflow.job.options.ParsedOptions;
import io.depthflow.job.options.RunOptions;
import io.depthflow.job.options.UsageException;
import io.depthflow.sources.capture.Recorder;
import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.rest.RestBookSource;
import io.depthflow.sources.venue.Venues;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code depthflow record --out FILE [--duration D]}: polls the exchanges with the job's own poll
 * loop and appends every response, failures included, to a capture file. With {@code --mode
 * stream}, records the WebSocket feeds instead ({@link StreamRecordCommand}).
 */
final class RecordCommand {

    /**
     * The picocli model of {@code record}, both modes: {@code --interval} and {@code --<venue>-url}
     * are for poll mode, {@code --<venue>-ws-url} and {@code --<venue>-depth} for stream mode; the
     * venue options come from the venue registry.
     */
    static CommandSpec spec() {
        CommandSpec s =
                CommandModel.command(
                        "record",
                        "poll the exchanges or record their WebSocket feeds into a capture file (JSON Lines)",
                        "Poll mode appends one JSON line per poll response (payload verbatim) to FILE;"
                                + " stream mode appends every WebSocket message (payload verbatim) and"
                                + " connection event. Check a stream capture with bin/depthflow verify"
                                + " FILE; replay either with bin/depthflow run --replay FILE.");
        CommandModel.value(
                s,
                "--mode",
                "poll|stream",
                "poll the REST books (default) or record the WebSocket feeds");
        CommandModel.value(s, "--out", "FILE", "the capture file to append to (required)");
        CommandModel.duration(s, "--duration", "how long to record (default 10m)");
        CommandModel.duration(s, "--interval", "poll mode: the poll interval (default 60s)");
        RunOptions.addExchangesOption(s, "the venues");
        RunOptions.addMarketsOption(s, "the markets");
        RunOptions.addVenueOptions(s, true, true);
        return s;
    }

    private RecordCommand() {}

    /** The registered venue a {@code --<venue>-...} option is of, else null. */
    private static String venueOf(String flag) {
        for (String venue : Venues.names()) {
            if (flag.startsWith("--" + venue + "-")) {
                return venue;
            }
        }
        return null;
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        ParsedOptions a = CommandModel.parse(spec(), argv);
        String mode = a.get("--mode", "poll");
        if (!"poll".equals(mode) && !"stream".equals(mode)) {
            throw new UsageException("record: --mode must be poll or stream, got '" + mode + "'");
        }
        boolean stream = "stream".equals(mode);
        for (String flag : a.names()) {
            String venue = venueOf(flag);
            boolean pollOnly =
                    flag.equals("--interval")
                            || (venue != null && flag.equals(RunOptions.restUrlFlag(venue)));
            boolean streamOnly =
                    venue != null
                            && (flag.equals(RunOptions.wsUrlFlag(venue))
                                    || flag.equals(RunOptions.depthFlag(venue)));
            if (stream && pollOnly) {
                throw new UsageException("record: " + flag + " is for --mode poll");
            }
            if (!stream && streamOnly) {
                throw new UsageException("record: " + flag + " is for --mode stream");
            }
        }
        if (stream) {
            return StreamRecordCommand.run(a, err);
        }
        Path file = Path.of(a.required("--out"));
        Duration duration = a.value("--duration", Duration.ofMinutes(10));
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
                        .setInterval(a.value("--interval", Duration.ofSeconds(60)))
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
