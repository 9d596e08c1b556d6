package io.depthflow.job.cli;

import io.depthflow.job.options.ParsedOptions;
import io.depthflow.job.options.RunOptions;
import io.depthflow.job.options.UsageException;
import io.depthflow.job.stream.BookSyncVerifier;
import io.depthflow.sources.capture.StreamRecorder;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.venue.StreamProtocol;
import io.depthflow.sources.ws.FeedSettings;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code depthflow record --mode stream --out FILE [--duration D]}: records the WebSocket book
 * feeds (every message verbatim, kind {@code ws}, and connection events) with the stream job's own
 * supervised client and book checks.
 */
final class StreamRecordCommand {

    private StreamRecordCommand() {}

    /** Records with the options of {@code record --mode stream} ({@link RecordCommand#spec}). */
    static int run(ParsedOptions a, PrintStream err) throws Exception {
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
        List<FeedSettings> feeds = new ArrayList<>();
        for (String exchange : exchanges) {
            String flag = "--" + exchange + "-ws-url";
            String url = a.get(flag, FeedSettings.defaultUrl(exchange));
            if (!url.startsWith("ws://") && !url.startsWith("wss://")) {
                throw new UsageException(
                        "record: " + flag + " must be a ws:// or wss:// URL, got '" + url + "'");
            }
            FeedSettings feed = FeedSettings.of(exchange, url, markets);
            StreamProtocol protocol = feed.protocol();
            if (!protocol.depths().isEmpty()) {
                feed =
                        feed.withDepth(
                                RunOptions.depth(
                                        "record",
                                        exchange,
                                        a.value(
                                                "--" + exchange + "-depth",
                                                protocol.defaultDepth())));
            }
            feeds.add(feed);
        }
        err.println(
                "depthflow: recording the WebSocket feeds of "
                        + String.join(",", exchanges)
                        + " for "
                        + String.join(",", markets)
                        + " for "
                        + duration.toSeconds()
                        + " s into "
                        + file);
        long before = RecordSummary.linesIn(file);
        new StreamRecorder(feeds, SourceClock.system(), BookSyncVerifier.factory())
                .record(file, duration);
        return RecordSummary.finish(file, before, exchanges, err);
    }
}
