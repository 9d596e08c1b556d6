package io.depthflow.job.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.depthflow.job.book.BookSync;
import io.depthflow.job.book.L2Book;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.ws.BookEvent;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays a captured WebSocket session through the stream job's own parsing and book code, without
 * Flink: {@link ConnectionTracker}, the decode step ({@link BookEventDecoder}, as the job's {@code
 * track-connections}), then one {@link BookSync} per (exchange, market) through {@link
 * BookMessageHandler}, in file order: the same decode as every input path of the stream job. Backs
 * {@code bin/depthflow verify}.
 *
 * <p>Figures ({@link #toJson()}): {@code messages} (WebSocket messages, kind {@code ws}), {@code
 * checksum_ok} / {@code checksum_failed} (Kraken book messages whose checksum was checked), {@code
 * sequence_gaps} (Coinbase), {@code resyncs} (snapshots that rebuilt a book lost after its first),
 * {@code ignored_updates} (updates that arrived while a book waited for a snapshot), {@code
 * connection_failures} (disconnected and stale events), {@code malformed}, {@code exchange_errors},
 * {@code out_of_order}, {@code unreadable_lines}, and per book its counts, final status, levels and
 * top of book. {@link #failed()} is true when anything failed: a checksum, a gap, a connection, a
 * malformed payload, an exchange error or an unreadable line.
 */
public final class StreamVerifier {

    private final ConnectionTracker tracker = new ConnectionTracker();
    private final BookEventDecoder decoder = new BookEventDecoder();
    private final BookMessageHandler handler = new BookMessageHandler();
    private Book current;
    private final Map<String, Book> books = new TreeMap<>();
    private final Map<String, Long> errorsByType = new LinkedHashMap<>();
    private long messages;
    private long events;
    private long skipped;
    private long unreadable;
    private long checksumOk;
    private long checksumFailed;
    private long resyncs;
    private long ignored;

    private final ConnectionTracker.Output output =
            new ConnectionTracker.Output() {
                @Override
                public void forward(RawMessage message) {
                    onMarketMessage(message);
                }

                @Override
                public void error(IngestError error) {
                    errorsByType.merge(error.errorType, 1L, Long::sum);
                }
            };

    private final BookEventDecoder.Output decoded =
            new BookEventDecoder.Output() {
                @Override
                public void event(BookEvent event) {
                    onEvent(event);
                }

                @Override
                public void error(IngestError error) {
                    errorsByType.merge(error.errorType, 1L, Long::sum);
                }
            };

    /** Feeds the next line of the capture. */
    public void accept(RawMessage raw) {
        if (RawMessage.KIND_WS.equals(raw.kind)) {
            messages++;
        } else if (RawMessage.KIND_WS_EVENT.equals(raw.kind)) {
            events++;
        } else {
            skipped++;
            return;
        }
        tracker.onMessage(raw, output);
    }

    /** A line of the capture that is not a capture record (counted as a failure). */
    public void unreadableLine() {
        unreadable++;
    }

    private void onMarketMessage(RawMessage raw) {
        Book b =
                books.computeIfAbsent(
                        raw.exchange + "|" + raw.market, k -> new Book(raw.exchange, raw.market));
        if (RawMessage.KIND_WS.equals(raw.kind)) {
            b.messages++;
        }
        current = b;
        decoder.decode(raw, Long.MIN_VALUE, decoded);
    }

    private void onEvent(BookEvent event) {
        Book b = current;
        boolean wasSynced = b.sync.isSynced();
        BookMessageHandler.Result result =
                handler.handle(
                        event, b.sync, error -> errorsByType.merge(error.errorType, 1L, Long::sum));
        switch (result) {
            case SNAPSHOT:
                // A resync rebuilds a book that was lost; a venue whose every message is a whole
                // book (Bitstamp's order_book channel) replaces a good book with the next one.
                if (b.snapshots++ > 0 && !wasSynced) {
                    b.resyncs++;
                    resyncs++;
                }
                countChecksum(b, event.checked);
                break;
            case UPDATE:
                b.updates++;
                countChecksum(b, event.checked);
                break;
            case CHECKSUM_FAILED:
                b.checksumFailed++;
                checksumFailed++;
                break;
            case IGNORED:
                b.ignored++;
                ignored++;
                break;
            default:
                break;
        }
    }

    private void countChecksum(Book b, boolean checked) {
        if (checked) {
            b.checksumOk++;
            checksumOk++;
        }
    }

    /** Messages of a book (snapshots, updates, acks of a market), all books together. */
    public long bookMessages() {
        return books.values().stream().mapToLong(b -> b.messages).sum();
    }

    /** Connection events ({@code ws_event} lines). */
    public long connectionEvents() {
        return events;
    }

    /** Lines that are not capture records. */
    public long unreadableLines() {
        return unreadable;
    }

    /** Capture records of other kinds (REST polls). */
    public long otherLines() {
        return skipped;
    }

    public long checksumOk() {
        return checksumOk;
    }

    public long checksumFailed() {
        return checksumFailed;
    }

    public long sequenceGaps() {
        return tracker.gaps();
    }

    public long resyncs() {
        return resyncs;
    }

    /**
     * Errors recorded by type ({@code checksum_mismatch}, {@code sequence_gap}, {@code malformed},
     * ...).
     */
    public Map<String, Long> errorsByType() {
        return errorsByType;
    }

    /** The book of one market (for tests). */
    public BookSync book(String exchange, String market) {
        Book b = books.get(exchange + "|" + market);
        return b == null ? null : b.sync;
    }

    private long connectionFailures() {
        return errorsByType.getOrDefault(IngestError.DISCONNECTED, 0L)
                + errorsByType.getOrDefault(IngestError.STALE_FEED, 0L);
    }

    /** Whether anything failed (see the class comment). */
    public boolean failed() {
        return checksumFailed > 0
                || unreadable > 0
                || tracker.gaps() > 0
                || connectionFailures() > 0
                || errorsByType.getOrDefault(IngestError.MALFORMED, 0L) > 0
                || errorsByType.getOrDefault(IngestError.EXCHANGE, 0L) > 0;
    }

    /** The report, one JSON object. */
    public String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("messages", messages);
            g.writeNumberField("connection_events", events);
            g.writeNumberField("checksum_ok", checksumOk);
            g.writeNumberField("checksum_failed", checksumFailed);
            g.writeNumberField("sequence_gaps", tracker.gaps());
            g.writeNumberField("resyncs", resyncs);
            g.writeNumberField("ignored_updates", ignored);
            g.writeNumberField("out_of_order", tracker.outOfOrder());
            g.writeNumberField("connection_failures", connectionFailures());
            g.writeNumberField("malformed", errorsByType.getOrDefault(IngestError.MALFORMED, 0L));
            g.writeNumberField(
                    "exchange_errors", errorsByType.getOrDefault(IngestError.EXCHANGE, 0L));
            g.writeNumberField("unreadable_lines", unreadable);
            g.writeNumberField("other_lines", skipped);
            g.writeBooleanField("ok", !failed());
            g.writeArrayFieldStart("books");
            for (Book b : books.values()) {
                L2Book book = b.sync.book();
                g.writeStartObject();
                g.writeStringField("exchange", b.exchange);
                g.writeStringField("market", b.market);
                g.writeNumberField("messages", b.messages);
                g.writeNumberField("snapshots", b.snapshots);
                g.writeNumberField("updates", b.updates);
                g.writeNumberField("checksum_ok", b.checksumOk);
                g.writeNumberField("checksum_failed", b.checksumFailed);
                g.writeNumberField("resyncs", b.resyncs);
                g.writeNumberField("ignored_updates", b.ignored);
                g.writeStringField("status", b.sync.status().wireName());
                g.writeNumberField("depth", b.sync.depth());
                g.writeNumberField("bids", book.bidCount());
                g.writeNumberField("asks", book.askCount());
                if (book.bidCount() > 0) {
                    g.writeFieldName("best_bid");
                    g.writeRawValue(
                            BigDecimal.valueOf(book.bestBid(), book.priceScale()).toPlainString());
                }
                if (book.askCount() > 0) {
                    g.writeFieldName("best_ask");
                    g.writeRawValue(
                            BigDecimal.valueOf(book.bestAsk(), book.priceScale()).toPlainString());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static final class Book {
        final String exchange;
        final String market;
        final BookSync sync;
        long messages;
        long snapshots;
        long updates;
        long checksumOk;
        long checksumFailed;
        long resyncs;
        long ignored;

        Book(String exchange, String market) {
            this.exchange = exchange;
            this.market = market;
            this.sync = BookSync.forExchange(exchange);
        }
    }
}
