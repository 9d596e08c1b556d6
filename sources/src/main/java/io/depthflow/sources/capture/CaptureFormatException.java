package io.depthflow.sources.capture;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A capture line that is not a valid capture record; {@link CaptureReader} adds the line number.
 */
@PublicEvolving
public final class CaptureFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CaptureFormatException(String message) {
        super(message);
    }

    public CaptureFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
