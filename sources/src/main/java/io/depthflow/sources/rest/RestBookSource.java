package io.depthflow.sources.rest;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import io.depthflow.sources.model.RawMessage;

/**
 * A FLIP-27 source that polls the REST order books of Coinbase and Kraken and emits every response
 * undecoded as a {@link RawMessage} (parse with {@code BookParsers} downstream, so that bad
 * payloads can go to a side output). One split per (exchange, market).
 *
 * <p>Behaviour: each split is polled every {@code interval} of the source clock, at the ticks of
 * the interval grid (every minute at :00 by default); each record's timestamp is its {@code
 * receivedAt}. Failed polls (no response, 429, 5xx) are emitted too and retried with backoff before
 * the next tick; the job never fails because of a poll. See {@link BookPoller} for the schedule and
 * {@link RestBookSourceOptions} for every setting. Unbounded unless {@code maxPolls} or {@code
 * duration} is set.
 *
 * <pre>{@code
 * RestBookSource source = RestBookSource.builder()
 *         .setMarkets("BTC/USD", "ETH/USD")
 *         .setInterval(Duration.ofSeconds(60))
 *         .build();
 * // Records already carry receivedAt as their timestamp: no timestamp assigner is needed.
 * env.fromSource(source, WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(5)), "REST books")
 *         .uid("src-rest-books");
 * }</pre>
 */
@PublicEvolving
public final class RestBookSource implements Source<RawMessage, RestBookSplit, RestBookEnumState> {

    private static final long serialVersionUID = 1L;

    private final RestPollConfig config;

    RestBookSource(RestPollConfig config) {
        this.config = config;
    }

    public static RestBookSourceBuilder builder() {
        return new RestBookSourceBuilder();
    }

    public RestPollConfig config() {
        return config;
    }

    @Override
    public Boundedness getBoundedness() {
        return config.isBounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RawMessage, RestBookSplit> createReader(SourceReaderContext readerContext) {
        return new RestBookSourceReader(config, readerContext);
    }

    @Override
    public SplitEnumerator<RestBookSplit, RestBookEnumState> createEnumerator(
            SplitEnumeratorContext<RestBookSplit> enumContext) {
        return new RestBookEnumerator(
                enumContext, config, config.initialSplits(config.clock().currentTimeMillis()));
    }

    @Override
    public SplitEnumerator<RestBookSplit, RestBookEnumState> restoreEnumerator(
            SplitEnumeratorContext<RestBookSplit> enumContext, RestBookEnumState checkpoint) {
        return new RestBookEnumerator(enumContext, config, checkpoint.unassigned());
    }

    @Override
    public SimpleVersionedSerializer<RestBookSplit> getSplitSerializer() {
        return new RestBookSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<RestBookEnumState> getEnumeratorCheckpointSerializer() {
        return new RestBookEnumStateSerializer();
    }
}
