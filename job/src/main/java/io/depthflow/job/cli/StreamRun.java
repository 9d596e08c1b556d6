package io.depthflow.job.cli;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.job.OperatorIds;
import io.depthflow.job.Outputs;
import io.depthflow.job.StreamWorkflow;
import io.depthflow.job.functions.BookKey;
import io.depthflow.job.io.ClickHouseOutputs;
import io.depthflow.job.io.RawInput;
import io.depthflow.job.io.ReplaySource;
import io.depthflow.job.io.kafka.KafkaRaw;
import io.depthflow.job.stream.BookSyncVerifier;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.capture.CaptureFormatException;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.venue.Venues;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.ws.FeedSettings;
import io.depthflow.sources.ws.WsBookSourceBuilder;
import io.depthflow.sources.ws.WsBookSource;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code bin/depthflow run --mode stream}: the WebSocket source (or a WebSocket capture replayed),
 * the stream topology ({@link StreamWorkflow}) and the same ClickHouse sinks as poll mode.
 */
public final class StreamRun {

    private StreamRun() {}

    /**
     * The stream pipeline on {@code env}; {@code feedSettings} has the last say on each feed's
     * settings (tests shorten backoffs).
     */
    public static Outputs define(
            StreamExecutionEnvironment env,
            RunOptions opts,
            ClickHouseSinkOptions sink,
            SourceClock clock,
            UnaryOperator<FeedSettings> feedSettings) {
        boolean bounded = opts.replay != null || (opts.readsRawLog() && opts.kafka.bounded());
        boolean checkpoints = !bounded || (opts.writesRawLog() && KafkaRaw.needsCheckpoints(opts.kafka));
        RunCommand.configure(env, opts.parallelism, checkpoints ? opts.checkpointInterval.toMillis() : 0);
        DataStream<RawMessage> raw;
        List<String> books = null; // replay and the raw log: the input decides
        DataStream<IngestError> unusableLines = null;
        if (opts.replay != null) {
            RawInput input = ReplaySource.create(env, opts.replay, opts.outOfOrderness);
            raw = input.messages();
            unusableLines = input.errors();
        } else if (opts.readsRawLog()) {
            // Each connection's messages are in one partition, in order (RawLogSerializer's key),
            // so each source subtask owns whole connections, as track-connections needs.
            RawInput input = KafkaRaw.source(env, opts.kafka, opts.outOfOrderness, true);
            raw = input.messages();
            unusableLines = input.errors();
        } else {
            books = new ArrayList<>();
            for (String exchange : opts.exchanges) {
                for (String market : opts.markets) {
                    books.add(BookKey.of(exchange, market));
                }
            }
            WsBookSourceBuilder b = WsBookSource.builder().setClock(clock).setVerifiers(BookSyncVerifier.factory());
            for (String exchange : opts.exchanges) {
                FeedSettings feed = FeedSettings.of(exchange, opts.wsUrls.get(exchange), opts.markets);
                if (opts.depths.containsKey(exchange)) {
                    feed = feed.withDepth(opts.depths.get(exchange));
                }
                b.addFeed(feedSettings.apply(feed.withStaleAfter(opts.staleAfter)));
            }
            if (opts.duration != null) {
                b.setDuration(opts.duration);
            }
            raw = liveSource(env, b.build());
        }
        if (opts.writesRawLog()) {
            KafkaRaw.attachSink(raw, opts.kafka);
        }
        Outputs outputs = StreamWorkflow.define(env, raw, opts.notionals, books,
                        opts.replay == null && !opts.readsRawLog() ? opts.exchanges.size() : 0, // a log's venues are unknown
                        opts.liquidity)
                .withMoreErrors(unusableLines);
        ClickHouseOutputs.attach(outputs, sink);
        return outputs;
    }

    /**
     * The live WebSocket source. Its event time and watermarks are the source's own ({@link
     * WsBookSource#watermarks()}): the received time of each message as it is handed over, and
     * per feed a watermark that follows what was handed to Flink, so that no message still queued
     * inside the source under back-pressure is ever behind it ({@code --out-of-orderness} does not
     * apply: nothing handed over later is older).
     */
    public static DataStream<RawMessage> liveSource(StreamExecutionEnvironment env, WsBookSource source) {
        return env.fromSource(source, WsBookSource.watermarks(), "Exchange WebSocket books").uid(OperatorIds.SOURCE_WS_BOOKS);
    }

    /** {@code --mode}; without it, a replayed capture whose first record is a WebSocket line is stream mode. */
    static boolean isStreamMode(String mode, Path replay) throws UsageException {
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
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(replay), StandardCharsets.UTF_8))) {
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
            return false; // RunCommand.requireCaptureRecords says what is wrong with the file (exit 1)
        }
    }

    static String wsUrl(String url, String flag) throws UsageException {
        if (!url.startsWith("ws://") && !url.startsWith("wss://")) {
            throw new UsageException("run: " + flag + " must be a ws:// or wss:// URL, got '" + url + "'");
        }
        return url;
    }

    /** A subscription depth the venue accepts ({@code --<venue>-depth}). */
    static int depth(String command, String venue, int depth) throws UsageException {
        List<Integer> allowed = Venues.get(venue).stream().depths();
        if (!allowed.contains(depth)) {
            throw new UsageException(command + ": --" + venue + "-depth must be one of " + allowed + ", got " + depth);
        }
        return depth;
    }
}
