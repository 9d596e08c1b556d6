package io.depthflow.sources.capture;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.rest.BookPoller;
import io.depthflow.sources.rest.PollBatch;
import io.depthflow.sources.rest.PollListener;
import io.depthflow.sources.rest.PollResult;
import io.depthflow.sources.rest.RestBookSplit;
import io.depthflow.sources.rest.RestPollConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Records live exchanges (or the simulator) into a capture file, for replay and fixtures: the same
 * poll loop and HTTP client as {@code RestBookSource} ({@link BookPoller}: interval grid, rate
 * limits, retries), without Flink. Every message is written, failures included. Used by {@code
 * depthflow record --out FILE --duration D}.
 *
 * <pre>{@code
 * RestPollConfig config = RestBookSource.builder().setDuration(Duration.ofMinutes(10)).buildPollConfig();
 * long lines = new Recorder(config).record(Path.of("btc-eth.jsonl"));
 * }</pre>
 */
@PublicEvolving
public final class Recorder {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

    private final RestPollConfig config;

    public Recorder(RestPollConfig config) {
        Preconditions.checkArgument(
                config.isBounded(), "a recording needs a bound: set maxPolls or duration");
        this.config = config;
    }

    /** Appends to {@code file} until every split is done; returns the number of lines written. */
    public long record(Path file) throws IOException, InterruptedException {
        try (CaptureWriter writer = CaptureWriter.append(file)) {
            long lines = record(writer);
            LOG.info("Recorded {} messages into {}", lines, file);
            return lines;
        }
    }

    /** Writes to {@code writer} until every split is done; returns the number of lines written. */
    public long record(CaptureWriter writer) throws IOException, InterruptedException {
        long lines = 0;
        try (BookPoller poller = new BookPoller(config, PollListener.NONE)) {
            for (RestBookSplit split : config.initialSplits(config.clock().currentTimeMillis())) {
                poller.add(split);
            }
            while (!poller.isEmpty()) {
                PollBatch batch = poller.poll();
                for (PollResult result : batch.results()) {
                    RawMessage message = result.message();
                    writer.write(message);
                    lines++;
                }
            }
        }
        return lines;
    }
}
