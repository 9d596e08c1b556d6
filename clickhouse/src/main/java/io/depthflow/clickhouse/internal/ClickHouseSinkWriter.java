package io.depthflow.clickhouse.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.SimpleBatchCreator;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.ResultInfo;
import org.apache.flink.metrics.Counter;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The writer of one ClickHouse sink subtask, on Flink's {@link AsyncSinkWriter}: rows wait in the
 * base's buffer (checkpointed), one INSERT at a time runs on this writer's I/O thread, and a failed
 * INSERT's rows go back to the head of the buffer ({@link ResultHandler#retryForEntries}).
 *
 * <p>How it rides out a ClickHouse outage (all on the task's mailbox thread unless noted):
 *
 * <ol>
 *   <li>An INSERT fails on the I/O thread (connect refused, timeout: at most {@code
 *       request-timeout}). The outcome is handed to the mailbox; there the writer starts a backoff
 *       ({@link RetryBackoff}: capped exponential with jitter), registers a processing-time timer
 *       for its end, then returns the rows with {@code retryForEntries}. No request stays in flight
 *       during the outage, so {@code flush(false)} at a checkpoint returns at once and the
 *       checkpoint stores the buffered rows.
 *   <li>While the backoff runs, the buffer hides its rows from the base class ({@link
 *       RetryGatedBuffer}): {@code write()} keeps accepting rows without sending anything, and the
 *       base's buffer-timeout callback finds nothing to do. Sources keep running.
 *   <li>Past {@code max-buffered-rows} or {@code max-buffered-bytes}, {@code write()} waits
 *       (yielding to the mailbox, so timers and retries still run) until rows are written:
 *       back-pressure, never a drop.
 *   <li>When the backoff ends the timer retries: it drains the buffer (the base's {@code flush})
 *       until it is empty or an INSERT fails again (next backoff, up to {@code retry-max-backoff}).
 *   <li>At end of input {@code flush(true)} waits out backoffs and retries until every row is
 *       written: a bounded job does not finish before ClickHouse has its rows.
 *   <li>{@link #close()} never throws and never writes: what was not written is in the last
 *       checkpoint, and a restarted job writes it.
 * </ol>
 *
 * <p>Rows that retrying cannot fix are rejected as {@link ClickHouseInserter} describes. Logging:
 * one WARN line when an outage starts, one every {@code outage-log-interval} while it lasts, one
 * INFO line when ClickHouse answers again; stack traces only at DEBUG.
 *
 * <p>Metrics on the writer's group: {@value #METRIC_ROWS_BUFFERED} (rows not yet written, in the
 * buffer or in flight), {@value #METRIC_OLDEST_AGE} (ms since the oldest of them arrived; 0 when
 * none), {@value #METRIC_FAILED_ATTEMPTS} (INSERTs that failed and will be retried), {@value
 * #METRIC_ROWS_REJECTED}.
 */
@Internal
public final class ClickHouseSinkWriter<T> extends AsyncSinkWriter<T, PendingRow<T>>
        implements CommittingSinkWriter<T, NoCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSinkWriter.class);

    public static final String METRIC_ROWS_BUFFERED = "clickhouseRowsBuffered";
    public static final String METRIC_OLDEST_AGE = "clickhouseOldestBufferedRowAgeMs";
    public static final String METRIC_FAILED_ATTEMPTS = "clickhouseFailedAttempts";
    public static final String METRIC_ROWS_REJECTED = "clickhouseRowsRejected";

    private final TableSpec<T> spec;
    private final RetryGate gate;
    private final RetryGatedBuffer<PendingRow<T>> buffer;
    private final ClickHouseInserter<T> inserter;
    private final ExecutorService io;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService time;
    private final RetryBackoff backoff;
    private final int maxBufferedRows;
    private final long maxBufferedBytes;
    private final long maxRowBytes;
    private final long outageLogIntervalMs;
    private final Counter failedAttempts;
    private final Counter rowsRejected;

    private int inFlight;
    private volatile int inFlightRows;
    private volatile long inFlightOldestMs = Long.MAX_VALUE;
    private int consecutiveFailures;

    /** The ClickHouse this writer writes to, as its outages are told (password masked). */
    private final String endpoint;

    private long outageSinceMs = -1;
    private long lastOutageLogMs;
    private boolean backPressureLogged;
    private boolean closed;

    /** Inside the base class's {@code flush(true)}: a nested one would only stack up. */
    private boolean draining;

    public ClickHouseSinkWriter(
            TableSpec<T> spec,
            ClickHouseSinkOptions options,
            ElementConverter<T, PendingRow<T>> converter,
            WriterInitContext context,
            Collection<BufferedRequestState<PendingRow<T>>> states) {
        this(spec, options, converter, context, states, new RetryGate());
    }

    private ClickHouseSinkWriter(
            TableSpec<T> spec,
            ClickHouseSinkOptions options,
            ElementConverter<T, PendingRow<T>> converter,
            WriterInitContext context,
            Collection<BufferedRequestState<PendingRow<T>>> states,
            RetryGate gate) {
        this(
                spec,
                options,
                converter,
                context,
                states,
                gate,
                new RetryGatedBuffer<>(gate, PendingRow::bufferedAtMs));
    }

    private ClickHouseSinkWriter(
            TableSpec<T> spec,
            ClickHouseSinkOptions options,
            ElementConverter<T, PendingRow<T>> converter,
            WriterInitContext context,
            Collection<BufferedRequestState<PendingRow<T>>> states,
            RetryGate gate,
            RetryGatedBuffer<PendingRow<T>> buffer) {
        super(
                converter,
                context,
                configuration(options, gate),
                states,
                new SimpleBatchCreator<>(options.maxBufferedBytes()),
                buffer);
        this.spec = spec;
        this.endpoint = endpointOf(options.jdbcUrl());
        this.gate = gate;
        this.buffer = buffer;
        this.mailbox = context.getMailboxExecutor();
        this.time = context.getProcessingTimeService();
        this.backoff =
                new RetryBackoff(options.retryInitialBackoffMs(), options.retryMaxBackoffMs());
        this.maxBufferedRows = options.maxBufferedRows();
        this.maxBufferedBytes = options.maxBufferedBytes();
        this.maxRowBytes = options.maxBufferedBytes();
        this.outageLogIntervalMs = options.outageLogIntervalMs();
        this.inserter =
                new ClickHouseInserter<>(
                        spec,
                        options.jdbcUrl(),
                        options.user(),
                        options.password(),
                        options.requestTimeoutMs());
        this.io =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "clickhouse-sink-" + spec.table());
                            t.setDaemon(true);
                            return t;
                        });
        context.metricGroup().gauge(METRIC_ROWS_BUFFERED, this::rowsBuffered);
        context.metricGroup().gauge(METRIC_OLDEST_AGE, this::oldestBufferedRowAgeMs);
        this.failedAttempts = context.metricGroup().counter(METRIC_FAILED_ATTEMPTS);
        this.rowsRejected = context.metricGroup().counter(METRIC_ROWS_REJECTED);
        if (buffer.rows() > 0) {
            LOG.info(
                    "ClickHouse {}: {} rows restored from the checkpoint, writing them",
                    spec.table(),
                    buffer.rows());
        }
    }

    private static AsyncSinkWriterConfiguration configuration(
            ClickHouseSinkOptions o, RetryGate gate) {
        long bufferMs =
                o.batchIntervalMs() > 0 ? o.batchIntervalMs() : Duration.ofHours(1).toMillis();
        return AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(o.batchSize())
                // a batch is bounded by rows; bytes only bound the buffer (see write)
                .setMaxBatchSizeInBytes(o.maxBufferedBytes())
                .setMaxInFlightRequests(1)
                .setMaxBufferedRequests(o.maxBufferedRows())
                .setMaxTimeInBufferMS(bufferMs)
                .setMaxRecordSizeInBytes(o.maxBufferedBytes())
                // the driver's socket timeout ends a stuck INSERT first; this is a safety net
                .setRequestTimeoutMS(3 * o.requestTimeoutMs() + 10_000)
                .setFailOnTimeout(false)
                .setRateLimitingStrategy(new OneAtATime(gate))
                .build();
    }

    /**
     * One INSERT in flight; during a backoff at end of input, none. During an ordinary backoff the
     * strategy must not block: the base class's {@code flush()} would yield (holding the task
     * thread) until the backoff ends; instead the buffer hides its rows, so {@code flush()} finds
     * an empty batch and returns.
     */
    private static final class OneAtATime implements RateLimitingStrategy {
        private final RetryGate gate;
        private int inFlight;

        OneAtATime(RetryGate gate) {
            this.gate = gate;
        }

        @Override
        public void registerInFlightRequest(RequestInfo requestInfo) {
            inFlight++;
        }

        @Override
        public void registerCompletedRequest(ResultInfo resultInfo) {
            inFlight--;
        }

        @Override
        public boolean shouldBlock(RequestInfo requestInfo) {
            return inFlight > 0 || (gate.backingOff && gate.draining);
        }

        @Override
        public int getMaxBatchSize() {
            return Integer.MAX_VALUE;
        }
    }

    @Override
    public void write(T element, Context context) throws java.io.IOException, InterruptedException {
        // The bound: past it, wait for rows to be written (the base class only bounds visible rows,
        // and during a backoff none are visible). Yielding runs the retry timer and results.
        while (buffer.rows() >= maxBufferedRows || buffer.bytes() >= maxBufferedBytes) {
            if (!backPressureLogged) {
                backPressureLogged = true;
                LOG.warn(
                        "ClickHouse {}: buffer full ({} rows, {} bytes); holding back new rows until"
                                + " ClickHouse takes the buffered ones",
                        spec.table(),
                        buffer.rows(),
                        buffer.bytes());
            }
            if (!gate.backingOff && inFlight == 0 && !draining) {
                drain(); // nothing pending would wake us: send now
            } else {
                mailbox.yield();
            }
        }
        super.write(element, context);
    }

    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        if (!endOfInput) {
            super.flush(false); // a checkpoint: waits for the (short) request in flight only
            return;
        }
        gate.draining = true;
        try {
            drain();
        } finally {
            gate.draining = false;
        }
    }

    /**
     * The base class's {@code flush(true)}: sends until the buffer is empty, or (unless at end of
     * input) until an INSERT fails and the buffer hides its rows for the backoff. Never nested: a
     * retry timer firing while the task thread yields inside a drain only ends the backoff, and the
     * running drain carries on.
     */
    private void drain() throws InterruptedException {
        if (draining) {
            return;
        }
        draining = true;
        try {
            super.flush(true);
        } finally {
            draining = false;
        }
    }

    @Override
    protected void submitRequestEntries(
            List<PendingRow<T>> batch, ResultHandler<PendingRow<T>> handler) {
        inFlight++;
        inFlightRows = batch.size();
        inFlightOldestMs = batch.get(0).bufferedAtMs();
        try {
            io.execute(
                    () -> {
                        ClickHouseInserter.Outcome<T> outcome = inserter.insert(batch);
                        try {
                            mailbox.execute(
                                    () -> completed(outcome, handler),
                                    "ClickHouse %s INSERT result",
                                    spec.table());
                        } catch (RuntimeException e) {
                            LOG.debug(
                                    "ClickHouse {}: result after the writer closed",
                                    spec.table(),
                                    e);
                        }
                    });
        } catch (RuntimeException e) { // closed executor: the rows stay in the buffer
            completed(new ClickHouseInserter.Outcome<>(0, batch, List.of(), e), handler);
        }
    }

    private void completed(
            ClickHouseInserter.Outcome<T> outcome, ResultHandler<PendingRow<T>> handler) {
        inFlight--;
        inFlightRows = 0;
        inFlightOldestMs = Long.MAX_VALUE;
        if (!outcome.rejected.isEmpty()) {
            rowsRejected.inc(outcome.rejected.size());
        }
        if (!outcome.failed()) {
            if (outageSinceMs >= 0) {
                LOG.info(
                        "ClickHouse {} back after {}: {} rows written, {} still buffered, catching up",
                        spec.table(),
                        ClickHouseOutages.humanDuration(System.currentTimeMillis() - outageSinceMs),
                        outcome.written,
                        buffer.rows());
                long since = ClickHouseOutages.up(endpoint, this);
                if (since >= 0) { // the last of this JVM's sinks to get through: the outage is over
                    LOG.warn(
                            "ClickHouse at {} is back after {} (down since {}); the sinks write the rows they kept",
                            endpoint,
                            ClickHouseOutages.humanDuration(System.currentTimeMillis() - since),
                            Instant.ofEpochMilli(since));
                }
            }
            outageSinceMs = -1;
            consecutiveFailures = 0;
            backPressureLogged = false;
            handler.complete();
            return;
        }
        failedAttempts.inc();
        consecutiveFailures++;
        long now = System.currentTimeMillis();
        long delay = backoff.delayMs(consecutiveFailures, ThreadLocalRandom.current().nextDouble());
        int waiting = buffer.rows() + outcome.retry.size();
        String reason = ClickHouseInserter.message(outcome.failure);
        if (outageSinceMs < 0) {
            outageSinceMs = now;
            lastOutageLogMs = now;
            LOG.info(
                    "ClickHouse {} unreachable since {} ({}); {} rows buffered, retrying with backoff"
                            + " from {} ms up to every {} ms",
                    spec.table(),
                    Instant.ofEpochMilli(now),
                    reason,
                    waiting,
                    backoff.initialMs(),
                    backoff.maxMs());
            if (ClickHouseOutages.down(
                    endpoint, this, now)) { // the first of this JVM's sinks to see it
                LOG.warn(
                        "ClickHouse at {} unreachable since {} ({}); the sinks keep their rows in"
                                + " checkpointed state and retry with backoff up to every {}",
                        endpoint,
                        Instant.ofEpochMilli(now),
                        reason,
                        ClickHouseOutages.humanDuration(backoff.maxMs()));
            }
        } else if (now - lastOutageLogMs >= outageLogIntervalMs) {
            lastOutageLogMs = now;
            LOG.info(
                    "ClickHouse {} still unreachable since {} ({}); {} rows buffered, oldest {} ms,"
                            + " {} attempts failed",
                    spec.table(),
                    Instant.ofEpochMilli(outageSinceMs),
                    reason,
                    waiting,
                    oldestBufferedRowAgeMs(),
                    consecutiveFailures);
        }
        long since = ClickHouseOutages.remindSince(endpoint, now, outageLogIntervalMs);
        if (since >= 0) {
            LOG.warn(
                    "ClickHouse at {} still unreachable, since {} ({}); {} rows kept by the {} sink,"
                            + " oldest {} old",
                    endpoint,
                    Instant.ofEpochMilli(since),
                    reason,
                    waiting,
                    spec.table(),
                    ClickHouseOutages.humanDuration(oldestBufferedRowAgeMs()));
        }
        LOG.debug(
                "ClickHouse {} INSERT failed (attempt {})",
                spec.table(),
                consecutiveFailures,
                outcome.failure);
        gate.backingOff = true; // before the rows are back in the buffer: they stay hidden
        if (!closed) {
            time.registerTimer(time.getCurrentProcessingTime() + delay, t -> retry());
        }
        handler.retryForEntries(outcome.retry);
    }

    /** The backoff is over: send what waits, until the buffer is empty or an INSERT fails again. */
    private void retry() throws InterruptedException {
        gate.backingOff = false;
        if (closed) {
            return;
        }
        drain();
    }

    /** Nothing to commit: rows are written by the INSERTs, see {@link NoCommittable}. */
    @Override
    public Collection<NoCommittable> prepareCommit() {
        return List.of();
    }

    @Override
    protected long getSizeInBytes(PendingRow<T> row) {
        // an estimate, capped so that a huge payload counts as full buffer instead of failing the
        // job in the base class's record-size check
        return Math.max(1, Math.min(maxRowBytes, spec.size().bytes(row.row())));
    }

    /** Never throws: a failure here would end the TaskManager's task cleanup (see DECISIONS.md). */
    @Override
    public void close() {
        closed = true;
        ClickHouseOutages.up(endpoint, this); // a closing writer no longer keeps an outage open
        try {
            io.shutdownNow();
            io.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("ClickHouse {}: stopping the I/O thread failed", spec.table(), e);
        }
        try {
            inserter.close();
        } catch (RuntimeException e) {
            LOG.debug("ClickHouse {}: closing the connection failed", spec.table(), e);
        }
        if (buffer.rows() > 0) {
            LOG.info(
                    "ClickHouse {}: closing with {} rows not written; they are in the last checkpoint",
                    spec.table(),
                    buffer.rows());
        }
    }

    /**
     * {@code host:port} of a JDBC URL ({@code jdbc:clickhouse://host:port/db?...}), or the masked
     * URL.
     */
    static String endpointOf(String jdbcUrl) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("^jdbc:(?:clickhouse|ch)(?::[a-z]+)?://([^/?#]+)")
                        .matcher(jdbcUrl);
        if (m.find()) {
            String hostPort = m.group(1);
            return hostPort.substring(hostPort.lastIndexOf('@') + 1);
        }
        return ClickHouseSinkOptions.redact(jdbcUrl);
    }

    @VisibleForTesting
    long rowsBuffered() {
        return (long) buffer.rows() + inFlightRows;
    }

    @VisibleForTesting
    long oldestBufferedRowAgeMs() {
        long oldest = Math.min(buffer.headBufferedAtMs(), inFlightOldestMs);
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, System.currentTimeMillis() - oldest);
    }
}
