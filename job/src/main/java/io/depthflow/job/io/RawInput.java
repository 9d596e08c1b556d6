package io.depthflow.job.io;

import org.apache.flink.streaming.api.datastream.DataStream;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;

/**
 * What a source of capture lines yields: the usable messages (timestamped and watermarked) and one
 * {@code ingest_errors} row per line that could not be used (see {@code EnvelopeValidator}).
 */
public record RawInput(DataStream<RawMessage> messages, DataStream<IngestError> errors) {}
