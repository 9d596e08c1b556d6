package io.depthflow.sources.ws;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.RawMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reader of {@link WsBookSource}: one fetcher thread over a {@link WsBookSplitReader} that
 * keeps one supervised WebSocket per assigned feed. Built on {@link
 * SingleThreadMultiplexSourceReaderBase} for the hand-over to the task thread, back-pressure and
 * bounded-mode finishing. Split state is the split itself (nothing to advance, see {@link
 * WsBookSplit}).
 *
 * <p>A split names a feed; the feed's settings (URL, markets, depth, liveness, backoff) are the
 * running job's. A split restored from a checkpoint or savepoint carries the settings of the job
 * that wrote it: they are replaced by the current configuration of that exchange, so an upgrade
 * that changes a URL, the markets or the depth takes effect, and a feed no longer configured is
 * dropped. A restored feed stops as {@link #current} says.
 */
@Internal
@SuppressWarnings("try")
public final class WsBookSourceReader
        extends SingleThreadMultiplexSourceReaderBase<
                RawMessage, RawMessage, WsBookSplit, WsBookSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(WsBookSourceReader.class);

    private final Map<String, FeedSettings> configured = new HashMap<>();
    private final long runEnd;

    /**
     * @param feeds the running job's feeds
     * @param duration how long this run lasts, null for ever
     */
    public WsBookSourceReader(
            List<FeedSettings> feeds,
            Duration duration,
            SourceClock clock,
            BookVerifier.Factory verifiers,
            int queueCapacity,
            SourceReaderContext context) {
        super(
                () -> new WsBookSplitReader(clock, verifiers, queueCapacity, context.metricGroup()),
                new WsBookRecordEmitter(),
                context.getConfiguration(),
                context);
        feeds.forEach(f -> configured.put(f.exchange(), f));
        this.runEnd =
                duration == null ? Long.MAX_VALUE : clock.currentTimeMillis() + duration.toMillis();
    }

    @Override
    public void addSplits(List<WsBookSplit> splits) {
        super.addSplits(current(configured, runEnd, splits));
    }

    /**
     * The splits with the running job's settings; feeds it no longer has are left out. A feed stops
     * at the earlier of its own end and this run's ({@code runEnd}, {@link Long#MAX_VALUE} when
     * unbounded): a bounded run restarted after a failure does not run longer, a run restored from
     * an unbounded job's savepoint ends when its own duration does, and an unbounded job never
     * ends.
     */
    static List<WsBookSplit> current(
            Map<String, FeedSettings> configured, long runEnd, List<WsBookSplit> splits) {
        List<WsBookSplit> out = new ArrayList<>();
        for (WsBookSplit split : splits) {
            FeedSettings now = configured.get(split.splitId());
            if (now == null) {
                LOG.warn(
                        "Dropping the {} feed of the restored state: this job does not configure {}",
                        split,
                        split.splitId());
                continue;
            }
            if (!now.equals(split.settings())) {
                LOG.info(
                        "The {} feed takes this job's settings: {} (was {})",
                        split.splitId(),
                        now,
                        split.settings());
            }
            out.add(
                    new WsBookSplit(
                            now,
                            runEnd == Long.MAX_VALUE
                                    ? Long.MAX_VALUE
                                    : Math.min(split.stopAt(), runEnd)));
        }
        return out;
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
