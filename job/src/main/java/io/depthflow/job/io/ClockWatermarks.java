package io.depthflow.job.io;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.RawMessage;

import java.time.Duration;

/**
 * Watermarks for live polling, driven by the source clock. Event time is the moment a response
 * arrives, read from that same clock, so no later record can carry a time much below "now": the
 * watermark is {@code max(latest event, clock now) - bound}. A minute therefore closes {@code
 * bound} after it ends, instead of waiting for the next poll to push event time forward (which
 * would delay every result by a whole interval).
 *
 * <p>{@code bound} covers the delay between taking {@code received_at} and the record leaving the
 * source (milliseconds in practice); a record later than that is reported as {@code late}.
 */
public final class ClockWatermarks {

    private ClockWatermarks() {}

    public static WatermarkStrategy<RawMessage> strategy(SourceClock clock, Duration bound) {
        long boundMs = bound.toMillis();
        return WatermarkStrategy.<RawMessage>forGenerator(ctx -> new Generator(clock, boundMs))
                .withTimestampAssigner((raw, ts) -> raw.receivedAt);
    }

    static final class Generator implements WatermarkGenerator<RawMessage> {
        private final SourceClock clock;
        private final long boundMs;
        private long maxTimestamp = Long.MIN_VALUE;
        private long lastEmitted = Long.MIN_VALUE;

        Generator(SourceClock clock, long boundMs) {
            this.clock = clock;
            this.boundMs = boundMs;
        }

        @Override
        public void onEvent(RawMessage event, long eventTimestamp, WatermarkOutput output) {
            maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long wm = Math.max(maxTimestamp, clock.currentTimeMillis()) - boundMs - 1;
            if (wm > lastEmitted) {
                lastEmitted = wm;
                output.emitWatermark(new Watermark(wm));
            }
        }
    }
}
