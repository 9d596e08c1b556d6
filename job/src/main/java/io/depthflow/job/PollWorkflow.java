package io.depthflow.job;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.job.io.ClickHouseOutputs;
import io.depthflow.job.io.ClockWatermarks;
import io.depthflow.job.io.RawInput;
import io.depthflow.job.io.ReplaySource;
import io.depthflow.job.io.kafka.KafkaRaw;
import io.depthflow.job.options.RunOptions;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.rest.RestBookSource;
import io.depthflow.sources.rest.RestBookSourceBuilder;

import java.util.function.Consumer;

/**
 * The poll-mode job, whole: the environment's settings, the source (the REST books polled on the
 * clock's grid, a capture replayed, or the Kafka raw log), the raw-log sink, the topology ({@link
 * DepthflowJob#defineWorkflow}) and the ClickHouse sinks. The composition root of poll mode, used
 * by the cluster entry ({@link DepthflowJob#main}) and by {@code bin/depthflow run}.
 */
public final class PollWorkflow {

    private PollWorkflow() {}

    /** The whole poll pipeline on {@code env}: source, topology, ClickHouse sinks. */
    public static Outputs build(
            StreamExecutionEnvironment env,
            RunOptions opts,
            ClickHouseSinkOptions sink,
            SourceClock clock) {
        return build(env, opts, sink, clock, b -> {});
    }

    /**
     * As {@link #build(StreamExecutionEnvironment, RunOptions, ClickHouseSinkOptions,
     * SourceClock)}, with a last say on the poll source's settings (tests and {@code demo} raise
     * rate limits for a fast clock).
     */
    public static Outputs build(
            StreamExecutionEnvironment env,
            RunOptions opts,
            ClickHouseSinkOptions sink,
            SourceClock clock,
            Consumer<RestBookSourceBuilder> sourceSettings) {
        if (opts.stream) {
            throw new IllegalArgumentException(
                    "PollWorkflow got stream-mode options: build them with StreamWorkflow (or DepthflowJob.build)");
        }
        JobEnvironment.configure(env, opts);
        DataStream<RawMessage> raw;
        DataStream<IngestError> unusableLines = null;
        if (opts.replay != null) {
            RawInput input = ReplaySource.create(env, opts.replay, opts.outOfOrderness);
            raw = input.messages();
            unusableLines = input.errors();
        } else if (opts.readsRawLog()) {
            RawInput input = KafkaRaw.source(env, opts.kafka, opts.outOfOrderness, false);
            raw = input.messages();
            unusableLines = input.errors();
        } else {
            RestBookSourceBuilder b =
                    RestBookSource.builder()
                            .setExchanges(opts.exchanges.toArray(new String[0]))
                            .setMarkets(opts.markets.toArray(new String[0]))
                            .setInterval(opts.interval)
                            .setClock(clock);
            opts.restUrls.forEach(b::setBaseUrl);
            if (opts.duration != null) {
                b.setDuration(opts.duration);
            }
            sourceSettings.accept(b);
            raw =
                    env.fromSource(
                                    b.build(),
                                    ClockWatermarks.strategy(clock, opts.outOfOrderness),
                                    "Exchange REST books")
                            .uid(OperatorIds.SOURCE_REST_BOOKS);
        }
        if (opts.writesRawLog()) {
            KafkaRaw.attachSink(raw, opts.kafka);
        }
        boolean polls =
                opts.replay == null
                        && !opts.readsRawLog(); // a log's interval and venues are unknown
        Outputs outputs =
                DepthflowJob.defineWorkflow(
                                env,
                                raw,
                                opts.notionals,
                                polls ? opts.interval.toMillis() : 0,
                                polls ? opts.exchanges.size() : 0,
                                opts.liquidity)
                        .withMoreErrors(unusableLines);
        ClickHouseOutputs.attach(outputs, sink);
        return outputs;
    }
}
