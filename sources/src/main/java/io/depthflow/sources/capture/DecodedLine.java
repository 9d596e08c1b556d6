package io.depthflow.sources.capture;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;

import java.util.Objects;

/**
 * One capture line (or raw-log record) after {@link EnvelopeValidator}: either the {@link #message}
 * it carries or the {@link #error} row it becomes, never both. Flink POJO.
 */
@PublicEvolving
public class DecodedLine {

    /** The usable message; null when the line is unusable. */
    public RawMessage message;

    /** The {@code ingest_errors} row of an unusable line; null when the line is usable. */
    public IngestError error;

    public DecodedLine() {}

    public static DecodedLine of(RawMessage message) {
        DecodedLine d = new DecodedLine();
        d.message = message;
        return d;
    }

    public static DecodedLine of(IngestError error) {
        DecodedLine d = new DecodedLine();
        d.error = error;
        return d;
    }

    public boolean isUsable() {
        return message != null;
    }

    /**
     * The event time of the line: its received_at when usable, else {@link Long#MIN_VALUE}, so that
     * a bad line never moves a watermark.
     */
    public long eventTime() {
        return message != null ? message.receivedAt : Long.MIN_VALUE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodedLine
                && Objects.equals(message, ((DecodedLine) o).message)
                && Objects.equals(error, ((DecodedLine) o).error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(message, error);
    }

    @Override
    public String toString() {
        return message != null ? message.toString() : String.valueOf(error);
    }
}
