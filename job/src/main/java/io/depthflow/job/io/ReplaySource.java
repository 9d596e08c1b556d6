package io.depthflow.job.io;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import io.depthflow.job.OperatorIds;
import io.depthflow.job.errors.DeadLetters;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.capture.DecodedLine;
import io.depthflow.sources.capture.EnvelopeValidator;
import io.depthflow.sources.model.RawMessage;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A capture file (JSON Lines, see {@link CaptureFormat}) as a bounded stream of raw messages in
 * event time: each message's timestamp is its {@code received_at}, watermarks trail the largest one
 * by {@code outOfOrderness}, and the end of the file closes every remaining window.
 *
 * <p>Lines are read as bytes and judged by {@link EnvelopeValidator}: a line that cannot be used
 * (not UTF-8, not a capture record, cut short, an envelope value the job does not know, a time out
 * of range or a jump) becomes one {@code ingest_errors} row ({@link RawInput#errors()}) with its
 * line number ({@code capture.jsonl:17}) and the line itself, and is counted in the metric {@code
 * unusableLines}; it never reaches the watermarks, so it changes nothing for the other lines. Blank
 * lines are skipped. The jump rule starts from the median time of the file's first {@value
 * #REFERENCE_LINES} lines, so that it covers the first line too.
 */
public final class ReplaySource {

    static final int REFERENCE_LINES = 101;

    private ReplaySource() {}

    public static RawInput create(
            StreamExecutionEnvironment env, java.nio.file.Path file, Duration outOfOrderness) {
        FileSource<CaptureLine> lines =
                FileSource.forRecordStreamFormat(
                                new CaptureLineFormat(), new Path(file.toAbsolutePath().toUri()))
                        .build();
        SingleOutputStreamOperator<RawMessage> decoded =
                env.fromSource(
                                lines,
                                WatermarkStrategy.noWatermarks(),
                                "Capture file " + file.getFileName())
                        .uid(OperatorIds.SOURCE_REPLAY)
                        .setParallelism(1)
                        .process(
                                new DecodeLines(file.getFileName().toString(), referenceTime(file)))
                        .uid(OperatorIds.DECODE_CAPTURE)
                        .name("Decode capture lines")
                        .setParallelism(1);
        DataStream<RawMessage> messages =
                decoded.assignTimestampsAndWatermarks(
                                WatermarkStrategy.<RawMessage>forBoundedOutOfOrderness(
                                                outOfOrderness)
                                        .withTimestampAssigner((raw, ts) -> raw.receivedAt))
                        .uid(OperatorIds.REPLAY_WATERMARKS)
                        .name("Replay event time")
                        .setParallelism(1);
        return new RawInput(messages, decoded.getSideOutput(DeadLetters.TAG));
    }

    /** The reference time of the jump rule: the median time of the file's first usable lines. */
    static long referenceTime(java.nio.file.Path file) {
        List<byte[]> first = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && first.size() < REFERENCE_LINES; b = in.read()) {
                if (b == '\n') {
                    first.add(line.toByteArray());
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return EnvelopeValidator.referenceTime(first, System::currentTimeMillis);
    }

    /** Decodes capture lines; a line that cannot be used goes to {@link DeadLetters#TAG}. */
    static final class DecodeLines extends ProcessFunction<CaptureLine, RawMessage> {
        private static final long serialVersionUID = 1L;

        private final String fileName;
        private final long reference;
        private transient EnvelopeValidator validator;
        private transient Counter unusable;

        DecodeLines(String fileName, long reference) {
            this.fileName = fileName;
            this.reference = reference;
        }

        @Override
        public void open(OpenContext openContext) {
            validator = new EnvelopeValidator(System::currentTimeMillis);
            if (reference != Long.MIN_VALUE) {
                validator.startingAt(reference);
            }
            unusable = getRuntimeContext().getMetricGroup().counter("unusableLines");
        }

        @Override
        public void processElement(CaptureLine line, Context ctx, Collector<RawMessage> out) {
            if (line.isBlank()) {
                return;
            }
            DecodedLine d = validator.decode(line.bytes, fileName + ":" + line.number);
            if (d.isUsable()) {
                out.collect(d.message);
            } else {
                unusable.inc();
                ctx.output(DeadLetters.TAG, d.error);
            }
        }
    }
}
