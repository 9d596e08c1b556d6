package io.depthflow.sources.parse;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;

/**
 * A raw message that did not yield a usable book. Carries one of the {@link IngestError} type
 * constants ({@link IngestError#TRANSPORT}, {@link IngestError#HTTP}, {@link IngestError#EXCHANGE},
 * {@link IngestError#MALFORMED}, {@link IngestError#EMPTY_BOOK}, {@link IngestError#CROSSED_BOOK})
 * and a one-line message that starts with the exchange name and says what was wrong, e.g. {@code
 * kraken: asks[3][0] is not a decimal string: 30384.1}.
 *
 * <p>Checked on purpose: every caller must decide where a bad message goes (the job sends it to the
 * {@code ingest_errors} side output with {@link #toIngestError(RawMessage)}).
 */
@PublicEvolving
public final class BookParseException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Messages are stored in one ClickHouse column and shown in one log line: keep them short. */
    private static final int MAX_MESSAGE_LENGTH = 500;

    private final String errorType;

    public BookParseException(String errorType, String message) {
        super(oneLine(message));
        this.errorType = errorType;
    }

    /** One of the {@link IngestError} type constants. */
    public String errorType() {
        return errorType;
    }

    /** The error row for {@code raw}: its identity, this type and message, and its payload. */
    public IngestError toIngestError(RawMessage raw) {
        return IngestError.of(raw, errorType, getMessage());
    }

    private static String oneLine(String message) {
        String s = message == null ? "" : message.replaceAll("[\\r\\n\\t]+", " ");
        return s.length() <= MAX_MESSAGE_LENGTH ? s : s.substring(0, MAX_MESSAGE_LENGTH) + "...";
    }
}
