package io.depthflow.job.stream;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.ws.BookEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * For tests: raw stream messages through the job's decode step ({@link ConnectionTracker} then
 * {@link BookEventDecoder}, as {@code track-connections} runs them), as the book builder receives
 * them.
 */
public final class Decoded {

    private Decoded() {}

    /**
     * The book events of {@code messages} (copies), the decode step's errors into {@code errors}.
     */
    public static List<BookEvent> events(List<RawMessage> messages, List<IngestError> errors) {
        ConnectionTracker tracker = new ConnectionTracker();
        BookEventDecoder decoder = new BookEventDecoder();
        List<BookEvent> out = new ArrayList<>();
        BookEventDecoder.Output decoded =
                new BookEventDecoder.Output() {
                    @Override
                    public void event(BookEvent event) {
                        out.add(event.copy());
                    }

                    @Override
                    public void error(IngestError error) {
                        errors.add(error);
                    }
                };
        for (RawMessage m : messages) {
            tracker.onMessage(
                    m,
                    new ConnectionTracker.Output() {
                        @Override
                        public void forward(RawMessage message) {
                            decoder.decode(message, Long.MIN_VALUE, decoded);
                        }

                        @Override
                        public void error(IngestError error) {
                            errors.add(error);
                        }
                    });
        }
        return out;
    }

    /** A book reset event, as the decode step emits for a reset marker. */
    public static BookEvent reset(String exchange, String market, long at, String reason) {
        BookEvent e = new BookEvent().reset(exchange, market, at, BookEvent.Kind.RESET);
        e.reason = reason;
        return e;
    }
}
