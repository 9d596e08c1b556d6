package io.depthflow.job.io;

import io.depthflow.job.OperatorIds;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.capture.CaptureFormatException;
import io.depthflow.sources.model.RawMessage;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * A capture file (JSON Lines, see {@link CaptureFormat}) as a bounded stream of raw messages in
 * event time: each message's timestamp is its {@code received_at}, watermarks trail the largest
 * one by {@code outOfOrderness}, and the end of the file closes every remaining window. A line
 * that is not a capture record (e.g. a last line cut short when a recorder was killed) is skipped,
 * logged and counted in the metric {@code captureLinesSkipped}; the file itself stays the record.
 */
public final class ReplaySource {

    private ReplaySource() {}

    public static DataStream<RawMessage> create(
            StreamExecutionEnvironment env, java.nio.file.Path file, Duration outOfOrderness) {
        FileSource<String> lines =
                FileSource.forRecordStreamFormat(
                                new TextLineInputFormat(), new Path(file.toAbsolutePath().toUri()))
                        .build();
        return env.fromSource(lines, WatermarkStrategy.noWatermarks(), "Capture file " + file.getFileName())
                .uid(OperatorIds.SOURCE_REPLAY)
                .setParallelism(1)
                .process(new DecodeLines())
                .uid(OperatorIds.DECODE_CAPTURE)
                .name("Decode capture lines")
                .setParallelism(1)
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<RawMessage>forBoundedOutOfOrderness(outOfOrderness)
                                .withTimestampAssigner((raw, ts) -> raw.receivedAt))
                .uid(OperatorIds.REPLAY_WATERMARKS)
                .name("Replay event time")
                .setParallelism(1);
    }

    /** Decodes capture lines; skips (and counts) lines that are not capture records. */
    static final class DecodeLines extends ProcessFunction<String, RawMessage> {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(DecodeLines.class);

        private transient Counter skipped;

        @Override
        public void open(OpenContext openContext) {
            skipped = getRuntimeContext().getMetricGroup().counter("captureLinesSkipped");
        }

        @Override
        public void processElement(String line, Context ctx, Collector<RawMessage> out) {
            if (line.isBlank()) {
                return;
            }
            try {
                out.collect(CaptureFormat.decode(line));
            } catch (CaptureFormatException e) {
                skipped.inc();
                LOG.warn(
                        "Skipping a line that is not a capture record ({}): {}",
                        e.getMessage(),
                        line.length() > 120 ? line.substring(0, 120) + "..." : line);
            }
        }
    }
}
