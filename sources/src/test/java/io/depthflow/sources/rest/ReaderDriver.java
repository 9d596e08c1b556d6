package io.depthflow.sources.rest;

import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;

import io.depthflow.sources.model.RawMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Drives a {@link RestBookSource} reader the way the task thread does (pollNext until nothing is
 * available, then wait on isAvailable), collecting records with their timestamps, and exposes its
 * metrics through a {@link MetricListener}.
 */
final class ReaderDriver implements AutoCloseable {

    final MetricListener metrics = new MetricListener();
    final SourceReader<RawMessage, RestBookSplit> reader;
    final TimestampedOutput output = new TimestampedOutput();

    ReaderDriver(RestBookSource source, List<RestBookSplit> splits) {
        reader =
                source.createReader(
                        new TestingReaderContext(
                                new Configuration(),
                                InternalSourceReaderMetricGroup.mock(metrics.getMetricGroup())));
        reader.start();
        reader.addSplits(splits);
    }

    /** Polls until END_OF_INPUT (after no-more-splits) and returns every record. */
    List<RawMessage> runToEnd(long timeoutMs) throws Exception {
        reader.notifyNoMoreSplits();
        pollUntil(records -> false, timeoutMs);
        return output.getEmittedRecords();
    }

    /** Polls until {@code done} holds for the records so far; returns false at END_OF_INPUT. */
    boolean pollUntil(Predicate<List<RawMessage>> done, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!done.test(output.getEmittedRecords())) {
            InputStatus status = reader.pollNext(output);
            if (status == InputStatus.END_OF_INPUT) {
                return false;
            }
            if (status == InputStatus.NOTHING_AVAILABLE) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(
                            "reader did not finish in "
                                    + timeoutMs
                                    + " ms; got "
                                    + output.getEmittedRecords());
                }
                try {
                    reader.isAvailable().get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError(
                            "reader did not finish in "
                                    + timeoutMs
                                    + " ms; got "
                                    + output.getEmittedRecords());
                }
            }
        }
        return true;
    }

    long counter(String... path) {
        return metrics.getCounter(path)
                .orElseThrow(() -> new AssertionError("no counter " + String.join(".", path)))
                .getCount();
    }

    long gauge(String... path) {
        return metrics.<Long>getGauge(path)
                .orElseThrow(() -> new AssertionError("no gauge " + String.join(".", path)))
                .getValue();
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the reader failed", e);
        }
    }

    /** Keeps the timestamp given with each record. */
    static final class TimestampedOutput extends TestingReaderOutput<RawMessage> {
        final List<Long> timestamps = new ArrayList<>();

        @Override
        public void collect(RawMessage record, long timestamp) {
            super.collect(record, timestamp);
            timestamps.add(timestamp);
        }
    }
}
