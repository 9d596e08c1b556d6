package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsRemoval;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Adapts {@link BookPoller} to Flink's {@link SplitReader}: {@link #fetch()} blocks in the fetcher
 * thread until some poll completes (or {@link #wakeUp()}), and reports splits whose bounded
 * schedule is over as finished.
 */
@Internal
public final class RestBookSplitReader implements SplitReader<PollResult, RestBookSplit> {

    private final BookPoller poller;

    public RestBookSplitReader(RestPollConfig config, PollListener listener) {
        this.poller = new BookPoller(config, listener);
    }

    @Override
    public RecordsWithSplitIds<PollResult> fetch() throws IOException {
        PollBatch batch;
        try {
            batch = poller.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for polls");
        }
        RecordsBySplits.Builder<PollResult> records = new RecordsBySplits.Builder<>();
        for (PollResult result : batch.results()) {
            records.add(result.splitId(), result);
        }
        records.addFinishedSplits(batch.finishedSplits());
        return records.build();
    }

    @Override
    public void handleSplitsChanges(SplitsChange<RestBookSplit> splitsChanges) {
        if (splitsChanges instanceof SplitsAddition) {
            splitsChanges.splits().forEach(poller::add);
        } else if (splitsChanges instanceof SplitsRemoval) {
            splitsChanges.splits().forEach(split -> poller.remove(split.splitId()));
        } else {
            throw new UnsupportedOperationException("unsupported split change " + splitsChanges);
        }
    }

    @Override
    public void wakeUp() {
        poller.wakeUp();
    }

    @Override
    public void close() {
        poller.close();
    }
}
