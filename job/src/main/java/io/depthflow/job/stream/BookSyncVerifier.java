package io.depthflow.job.stream;

import io.depthflow.job.book.BookSync;
import io.depthflow.sources.venue.BookChecksum;
import io.depthflow.sources.venue.Venues;
import io.depthflow.sources.ws.BookVerifier;
import io.depthflow.sources.ws.StreamMessage;

import java.util.HashMap;
import java.util.Map;

/**
 * The job's book code as the WebSocket client's {@link BookVerifier}: one {@link BookSync} per
 * market of the connection, so the client resubscribes exactly when the job's own book would fail
 * its check. Kept in memory only (a new connection rebuilds every book from snapshots).
 */
public final class BookSyncVerifier implements BookVerifier {

    private final String exchange;
    private final Map<String, BookSync> books = new HashMap<>();
    private final BookChecksum checksum;

    public BookSyncVerifier(String exchange) {
        this.exchange = exchange;
        this.checksum = Venues.get(exchange).stream().newChecksum();
    }

    /** The factory to hand to the stream source and the recorder. */
    public static BookVerifier.Factory factory() {
        return BookSyncVerifier::new;
    }

    @Override
    public boolean onBookMessage(String market, StreamMessage message) {
        BookSync.Outcome outcome =
                books.computeIfAbsent(market, m -> BookSync.forExchange(exchange))
                        .apply(message, checksum);
        return outcome != BookSync.Outcome.CHECKSUM_FAILED && outcome != BookSync.Outcome.REJECTED;
    }

    @Override
    public void onSubscribed(String market, int depth) {
        books.computeIfAbsent(market, m -> BookSync.forExchange(exchange)).onSubscribed(depth);
    }

    @Override
    public void reset() {
        books.clear();
    }
}
