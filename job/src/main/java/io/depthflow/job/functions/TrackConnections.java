package io.depthflow.job.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import io.depthflow.job.errors.DeadLetters;
import io.depthflow.job.stream.BookEventDecoder;
import io.depthflow.job.stream.ConnectionTracker;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.ws.BookEvent;

/**
 * The stream's decode step, chained to the source (uid {@code track-connections}): runs the {@link
 * ConnectionTracker} on each connection's messages in arrival order, before they are split by
 * market (sequence gaps, connection events, connection-level errors), then decodes each message of
 * a market once ({@link BookEventDecoder}: the venue's parser, and the checksum on this step's copy
 * of a checksummed venue's books) into a venue-free {@link BookEvent}, which is all the book
 * builder receives: no JSON travels past this step, and nothing after it parses any. It must see
 * all of a connection's messages, so it runs at the source's parallelism with forward partitioning
 * (each source subtask owns whole connections). Its state is transient: after a restore the source
 * opens new connections, which restart every sequence and every book.
 *
 * <p>Output: one {@link BookEvent} per message of a single market and per book reset; side output
 * {@link DeadLetters#TAG}, each with the raw payload: {@code sequence_gap}, {@code disconnected},
 * {@code stale_feed}, {@code checksum_mismatch}, {@code exchange_error} and {@code malformed}.
 * Metric {@code sequenceGaps}.
 */
public class TrackConnections extends ProcessFunction<RawMessage, BookEvent> {

    private static final long serialVersionUID = 1L;

    private transient ConnectionTracker tracker;
    private transient BookEventDecoder decoder;
    private transient Counter gaps;

    @Override
    public void open(OpenContext openContext) {
        tracker = new ConnectionTracker();
        decoder = new BookEventDecoder();
        gaps = getRuntimeContext().getMetricGroup().counter("sequenceGaps");
    }

    @Override
    public void processElement(RawMessage raw, Context ctx, Collector<BookEvent> out) {
        long before = tracker.gaps();
        long watermark = ctx.timerService().currentWatermark();
        BookEventDecoder.Output decoded =
                new BookEventDecoder.Output() {
                    @Override
                    public void event(BookEvent event) {
                        out.collect(event);
                    }

                    @Override
                    public void error(IngestError error) {
                        ctx.output(DeadLetters.TAG, error);
                    }
                };
        tracker.onMessage(
                raw,
                new ConnectionTracker.Output() {
                    @Override
                    public void forward(RawMessage message) {
                        decoder.decode(message, watermark, decoded);
                    }

                    @Override
                    public void error(IngestError error) {
                        ctx.output(DeadLetters.TAG, error);
                    }
                });
        gaps.inc(tracker.gaps() - before);
    }
}
