package io.depthflow.clickhouse.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.sink.writer.RequestBuffer;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;

/**
 * The request buffer of a {@link ClickHouseSinkWriter}: a FIFO deque (retried rows go back to the
 * head) that, while a retry backoff runs, looks empty to {@code AsyncSinkWriter}.
 *
 * <p>Why hide the rows instead of letting the rate-limiting strategy block: {@code
 * AsyncSinkWriter}'s buffer-timeout callback loops {@code while (!buffer.isEmpty()) flush()}, and
 * {@code flush()} yields to the mailbox while the strategy blocks. During an outage the buffer
 * never empties, so that loop would hold the task thread for the whole outage: no records
 * processed, no checkpoint barrier taken, the sources back-pressured. A buffer that looks empty
 * ends that loop at once, keeps {@code write()} from retrying on every record, and the writer's own
 * timer sends the retry when the backoff is over. {@link #getBufferedState()} always returns every
 * row, so the checkpointed state is complete; {@link #rows()} and {@link #bytes()} give the true
 * size for the buffer bound and the metrics.
 */
@Internal
final class RetryGatedBuffer<E extends java.io.Serializable> implements RequestBuffer<E> {

    private final Deque<RequestEntryWrapper<E>> entries = new ArrayDeque<>();
    private final RetryGate gate;
    private final java.util.function.ToLongFunction<E> bufferedAt;

    // read by metric gauges on another thread
    private volatile int rows;
    private volatile long bytes;
    private volatile long headBufferedAtMs = Long.MAX_VALUE;

    RetryGatedBuffer(RetryGate gate, java.util.function.ToLongFunction<E> bufferedAt) {
        this.gate = gate;
        this.bufferedAt = bufferedAt;
    }

    @Override
    public void add(RequestEntryWrapper<E> entry, boolean prioritize) {
        if (prioritize) {
            entries.addFirst(entry);
        } else {
            entries.addLast(entry);
        }
        changed(entry.getSize());
    }

    @Override
    public RequestEntryWrapper<E> poll() {
        if (gate.holdsRows()) {
            return null;
        }
        RequestEntryWrapper<E> e = entries.poll();
        if (e != null) {
            changed(-e.getSize());
        }
        return e;
    }

    @Override
    public RequestEntryWrapper<E> peek() {
        return gate.holdsRows() ? null : entries.peek();
    }

    @Override
    public boolean isEmpty() {
        return gate.holdsRows() || entries.isEmpty();
    }

    @Override
    public int size() {
        return gate.holdsRows() ? 0 : entries.size();
    }

    @Override
    public long totalSizeInBytes() {
        return gate.holdsRows() ? 0 : bytes;
    }

    @Override
    public Collection<RequestEntryWrapper<E>> getBufferedState() {
        return new ArrayList<>(entries);
    }

    /** Every buffered row, hidden or not. */
    int rows() {
        return rows;
    }

    /** Estimated bytes of every buffered row, hidden or not. */
    long bytes() {
        return bytes;
    }

    /** When the row at the head (the oldest) entered the buffer; MAX_VALUE when empty. */
    long headBufferedAtMs() {
        return headBufferedAtMs;
    }

    private void changed(long deltaBytes) {
        rows = entries.size();
        bytes += deltaBytes;
        RequestEntryWrapper<E> head = entries.peekFirst();
        headBufferedAtMs =
                head == null ? Long.MAX_VALUE : bufferedAt.applyAsLong(head.getRequestEntry());
    }
}
