package io.depthflow.sources.ws;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

import io.depthflow.sources.model.RawMessage;

import java.util.HashMap;
import java.util.Map;

/**
 * Emits each message with its {@code receivedAt} as the record timestamp (the event time), and the
 * source's watermarks, per feed (split), from what it hands over: a feed's received times are
 * non-decreasing ({@link FeedConnection}), so once a message or a progress promise of time {@code
 * t} has been handed to Flink, no later record of that feed is older than {@code t}, and {@code t -
 * 1} is a watermark. Messages still queued inside the source have not been handed over, so the
 * watermark can never pass them, however long back-pressure keeps them there. Flink combines the
 * feeds' watermarks (the minimum over a reader's splits, then over subtasks).
 *
 * <p>Progress promises ({@link #progress}) advance an idle feed's watermark and are not emitted as
 * records. Watermarks from messages are emitted at most every {@link #MESSAGE_WATERMARK_STEP_MS} of
 * event time per feed (promises always), which is plenty for one-minute windows.
 *
 * <p>Use with {@link WsBookSource#watermarks()}: the strategy must not add watermarks of its own.
 */
@Internal
public final class WsBookRecordEmitter
        implements RecordEmitter<RawMessage, RawMessage, WsBookSplit> {

    /** Kind of the in-band progress promises; never leaves the source. */
    static final String KIND_PROGRESS = "ws_progress";

    /** Minimum event-time step between two watermarks taken from messages, per feed. */
    static final long MESSAGE_WATERMARK_STEP_MS = 100;

    private final Map<String, Long> watermarks = new HashMap<>();

    /**
     * A progress promise of {@code exchange}'s feed: no later message is older than {@code time}.
     */
    static RawMessage progress(String exchange, long time) {
        return new RawMessage(exchange, "", KIND_PROGRESS, time, 0, "", null);
    }

    @Override
    public void emitRecord(RawMessage message, SourceOutput<RawMessage> output, WsBookSplit split) {
        boolean promise = KIND_PROGRESS.equals(message.kind);
        if (!promise) {
            output.collect(message, message.receivedAt);
        }
        long watermark = message.receivedAt - 1;
        Long last = watermarks.get(split.splitId());
        if (last == null
                || watermark > last && (promise || watermark >= last + MESSAGE_WATERMARK_STEP_MS)) {
            watermarks.put(split.splitId(), watermark);
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
