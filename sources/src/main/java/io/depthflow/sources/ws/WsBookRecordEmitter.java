package io.depthflow.sources.ws;

import io.depthflow.sources.model.RawMessage;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/** Emits each message with its {@code receivedAt} as the record timestamp (the event time). */
@Internal
public final class WsBookRecordEmitter implements RecordEmitter<RawMessage, RawMessage, WsBookSplit> {

    @Override
    public void emitRecord(RawMessage message, SourceOutput<RawMessage> output, WsBookSplit split) {
        output.collect(message, message.receivedAt);
    }
}
