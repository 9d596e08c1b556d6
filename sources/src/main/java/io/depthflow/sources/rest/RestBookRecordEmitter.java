package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

import io.depthflow.sources.model.RawMessage;

/**
 * Emits each raw message with its {@code receivedAt} as the record timestamp (the event time of
 * poll mode) and advances the split state to the schedule position that follows the message.
 */
@Internal
public final class RestBookRecordEmitter
        implements RecordEmitter<PollResult, RawMessage, RestBookSplitState> {

    @Override
    public void emitRecord(
            PollResult result, SourceOutput<RawMessage> output, RestBookSplitState state) {
        RawMessage message = result.message();
        output.collect(message, message.receivedAt);
        state.advance(result.nextPollAt(), result.pollsDone());
    }
}
