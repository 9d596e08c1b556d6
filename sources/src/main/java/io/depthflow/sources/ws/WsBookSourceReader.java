package io.depthflow.sources.ws;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.RawMessage;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The reader of {@link WsBookSource}: one fetcher thread over a {@link WsBookSplitReader} that keeps
 * one supervised WebSocket per assigned feed. Built on {@link
 * SingleThreadMultiplexSourceReaderBase} for the hand-over to the task thread, back-pressure and
 * bounded-mode finishing. Split state is the split itself (nothing to advance, see {@link
 * WsBookSplit}).
 */
@Internal
@SuppressWarnings("try")
public final class WsBookSourceReader
        extends SingleThreadMultiplexSourceReaderBase<RawMessage, RawMessage, WsBookSplit, WsBookSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(WsBookSourceReader.class);

    public WsBookSourceReader(SourceClock clock, BookVerifier.Factory verifiers, int queueCapacity, SourceReaderContext context) {
        super(
                () -> new WsBookSplitReader(clock, verifiers, queueCapacity, context.metricGroup()),
                new WsBookRecordEmitter(),
                context.getConfiguration(),
                context);
    }

    @Override
    protected void onSplitFinished(Map<String, WsBookSplit> finishedSplitIds) {
        LOG.info("WebSocket feeds finished: {}", finishedSplitIds.keySet());
    }

    @Override
    protected WsBookSplit initializedState(WsBookSplit split) {
        return split;
    }

    @Override
    protected WsBookSplit toSplitType(String splitId, WsBookSplit state) {
        return state;
    }
}
