package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import io.depthflow.sources.model.RawMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The reader of {@link RestBookSource}: one fetcher thread runs a {@link BookPoller} over all the
 * splits of this subtask.
 *
 * <p>Built on {@link SingleThreadMultiplexSourceReaderBase} rather than directly on {@code
 * SourceReader}: the base class already gives the hand-over between the fetcher thread and the task
 * thread (element queue with back-pressure, availability futures, wake-ups), split-finish handling
 * for bounded mode, per-split outputs and the standard source metrics. What is specific here, the
 * timed schedule, fits in {@link RestBookSplitReader#fetch()} because the HTTP calls are
 * asynchronous: one thread keeps every split's requests in flight without head-of-line blocking, so
 * a slow exchange does not delay the other's polls. A single fetcher also makes one token bucket
 * per exchange per subtask, the unit the rate limits are expressed in.
 */
@Internal
@SuppressWarnings("try") // close() throws Exception, as declared by SourceReaderBase
public final class RestBookSourceReader
        extends SingleThreadMultiplexSourceReaderBase<
                PollResult, RawMessage, RestBookSplit, RestBookSplitState> {

    private static final Logger LOG = LoggerFactory.getLogger(RestBookSourceReader.class);

    public RestBookSourceReader(RestPollConfig config, SourceReaderContext context) {
        this(config, context, new RestBookReaderMetrics(context.metricGroup()));
    }

    private RestBookSourceReader(
            RestPollConfig config, SourceReaderContext context, RestBookReaderMetrics metrics) {
        super(
                () -> new RestBookSplitReader(config, metrics),
                new RestBookRecordEmitter(),
                context.getConfiguration(),
                context);
    }

    @Override
    public void start() {
        super.start();
        LOG.info("REST book reader {} started", context.getIndexOfSubtask());
    }

    @Override
    protected void onSplitFinished(Map<String, RestBookSplitState> finishedSplitIds) {
        LOG.info("REST book splits finished: {}", finishedSplitIds.keySet());
    }

    @Override
    protected RestBookSplitState initializedState(RestBookSplit split) {
        return new RestBookSplitState(split);
    }

    @Override
    protected RestBookSplit toSplitType(String splitId, RestBookSplitState state) {
        return state.toSplit();
    }
}
