package io.depthflow.job.errors;

import org.apache.flink.util.OutputTag;

import io.depthflow.sources.model.IngestError;

/**
 * The side output every operator uses for input it cannot use. The stream behind it is sunk to the
 * ClickHouse table {@code ingest_errors} under its own uid, so nothing is dropped silently.
 */
public final class DeadLetters {

    public static final OutputTag<IngestError> TAG = new OutputTag<>("ingest-errors") {};

    private DeadLetters() {}
}
