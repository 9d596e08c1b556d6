package io.depthflow.job.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import io.depthflow.job.errors.DeadLetters;
import io.depthflow.job.stream.ConnectionTracker;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;

/**
 * Runs the {@link ConnectionTracker} on each connection's messages in arrival order, before they
 * are split by market: Coinbase sequence gaps, connection events and connection-level errors. It
 * must see all of a connection's messages, so it runs at the source's parallelism with forward
 * partitioning (each source subtask owns whole connections). Its state is transient: after a
 * restore the source opens new connections, which restart every sequence.
 *
 * <p>Output: the messages of single markets and the book reset markers; side output {@link
 * DeadLetters#TAG}: {@code sequence_gap}, {@code disconnected}, {@code stale_feed},
 * connection-level {@code exchange_error} and {@code malformed}. Metric {@code sequenceGaps}.
 */
public class TrackConnections extends ProcessFunction<RawMessage, RawMessage> {

    private static final long serialVersionUID = 1L;

    private transient ConnectionTracker tracker;
    private transient Counter gaps;

    @Override
    public void open(OpenContext openContext) {
        tracker = new ConnectionTracker();
        gaps = getRuntimeContext().getMetricGroup().counter("sequenceGaps");
    }

    @Override
    public void processElement(RawMessage raw, Context ctx, Collector<RawMessage> out) {
        long before = tracker.gaps();
        tracker.onMessage(
                raw,
                new ConnectionTracker.Output() {
                    @Override
                    public void forward(RawMessage message) {
                        out.collect(message);
                    }

                    @Override
                    public void error(IngestError error) {
                        ctx.output(DeadLetters.TAG, error);
                    }
                });
        gaps.inc(tracker.gaps() - before);
    }
}
