package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.clock.SourceClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The poll loop shared by the Flink reader ({@link RestBookSplitReader}) and the {@code Recorder}:
 * keeps a schedule per split, sends requests when they are due and the exchange's rate limit
 * allows, and hands back every outcome as a {@link PollResult}.
 *
 * <p>Schedule of one split, in clock time:
 *
 * <ul>
 *   <li>A scheduled poll is due at {@code nextPollAt}, a tick of the interval grid. When it is
 *       sent, {@code pollsDone} grows and {@code nextPollAt} moves to the first tick after now. A
 *       poll found overdue (a restore from an old checkpoint, a reader that started after the
 *       enumerator's first tick) is sent at once, once; the ticks missed meanwhile are skipped, not
 *       caught up.
 *   <li>A transport failure, 429 or 5xx is emitted like any response, then retried after a
 *       full-jitter exponential backoff (at least {@code Retry-After}, which also pauses the
 *       exchange's token bucket), but only if the retry falls before the next scheduled poll and
 *       the stop time; otherwise the next scheduled poll takes over. Other statuses are not
 *       retried. Nothing here throws because of a poll.
 *   <li>A split is finished once it has no request in flight or pending retry and either {@code
 *       maxPolls} scheduled polls were sent or the next one would be at or after its stop time.
 * </ul>
 *
 * <p>Threading: {@link #poll()}, {@link #add}, {@link #remove} and {@link #close} are called by one
 * thread (the fetcher thread); {@link #wakeUp()} may be called by any thread. HTTP completions
 * arrive on the HTTP client's threads and are handed over through a queue, so all schedule state is
 * confined to the polling thread.
 */
@Internal
public final class BookPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BookPoller.class);

    /** Longest single wait; bounds the damage of any missed signal. */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Object WAKE_UP = new Object();

    private final RestPollConfig config;
    private final SourceClock clock;
    private final BookHttpClient http;
    private final PollListener listener;
    private final SplittableRandom random = new SplittableRandom();
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();

    public BookPoller(RestPollConfig config, PollListener listener) {
        this.config = config;
        this.clock = config.clock();
        this.http = new BookHttpClient(config);
        this.listener = listener;
    }

    /** Starts polling a split from its checkpointed schedule position. */
    public void add(RestBookSplit split) {
        LOG.info("Polling {} from {}", split, config.baseUrl(split.exchange()));
        targets.put(split.splitId(), new Target(split));
    }

    /** Stops polling a split; an answer still in flight is dropped. */
    public void remove(String splitId) {
        Target target = targets.remove(splitId);
        if (target != null && target.inFlight != null) {
            target.inFlight.cancel(true);
        }
    }

    public boolean isEmpty() {
        return targets.isEmpty();
    }

    /**
     * Blocks until at least one result is available, a split finished, {@link #wakeUp()} was
     * called, or there is no split left; then returns what there is (possibly nothing).
     */
    public PollBatch poll() throws InterruptedException {
        List<PollResult> results = new ArrayList<>();
        Set<String> finished = new LinkedHashSet<>();
        boolean wokenUp = false;
        Object event = events.poll();
        while (true) {
            while (event != null) {
                if (event == WAKE_UP) {
                    wokenUp = true;
                } else {
                    complete((Completion) event, results);
                }
                event = events.poll();
            }
            long waitNanos = sendDueRequests(finished);
            if (wokenUp || !results.isEmpty() || !finished.isEmpty() || targets.isEmpty()) {
                return new PollBatch(results, finished);
            }
            event = events.poll(waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Makes a blocked or the next {@link #poll()} return promptly. Thread-safe. */
    public void wakeUp() {
        events.add(WAKE_UP);
    }

    @Override
    public void close() {
        for (Target target : targets.values()) {
            if (target.inFlight != null) {
                target.inFlight.cancel(true);
            }
        }
        targets.clear();
        events.clear();
    }

    /** Sends what is due and allowed; collects finished splits; returns the nanos to wait. */
    private long sendDueRequests(Set<String> finished) {
        long nowClock = clock.currentTimeMillis();
        long nowNanos = System.nanoTime();
        long waitNanos = MAX_WAIT_NANOS;
        for (Iterator<Target> it = targets.values().iterator(); it.hasNext(); ) {
            Target t = it.next();
            if (t.inFlight != null) {
                continue;
            }
            if (t.retryAt >= 0 && nowClock >= Math.min(t.nextPollAt, t.stopAt)) {
                t.retryAt = -1; // the rate limit held the retry back until the next poll was due
            }
            boolean retry = t.retryAt >= 0;
            if (!retry && (exhausted(t) || (t.nextPollAt <= nowClock && nowClock >= t.stopAt))) {
                LOG.info("Finished polling {} after {} scheduled polls", t.splitId, t.pollsDone);
                finished.add(t.splitId);
                it.remove();
                continue;
            }
            long due = retry ? t.retryAt : t.nextPollAt;
            if (due > nowClock) {
                long realMs = Math.max(1, clock.toRealMillis(due - nowClock));
                waitNanos = Math.min(waitNanos, TimeUnit.MILLISECONDS.toNanos(realMs));
                continue;
            }
            long limiterNanos = bucket(t.exchange).tryAcquire(nowNanos);
            if (limiterNanos > 0) {
                waitNanos = Math.min(waitNanos, limiterNanos);
                continue;
            }
            send(t, retry, nowClock);
        }
        return waitNanos;
    }

    private boolean exhausted(Target t) {
        return (config.maxPolls() != RestPollConfig.UNBOUNDED && t.pollsDone >= config.maxPolls())
                || t.nextPollAt >= t.stopAt;
    }

    private void send(Target t, boolean retry, long nowClock) {
        if (retry) {
            t.retryAt = -1;
        } else {
            t.pollsDone++;
            t.nextPollAt = PollSchedule.tickAfter(nowClock, config.intervalMs());
            t.attempt = 0;
        }
        CompletableFuture<PollOutcome> future = http.fetch(t.exchange, t.market);
        t.inFlight = future;
        future.thenAccept(outcome -> events.add(new Completion(t, outcome)));
    }

    private void complete(Completion completion, List<PollResult> results) {
        Target t = completion.target;
        if (targets.get(t.splitId) != t) {
            return; // removed while in flight
        }
        t.inFlight = null;
        PollOutcome outcome = completion.outcome;
        listener.onPoll(t.exchange, outcome.latencyMs(), outcome.failed());
        if (outcome.retryable()) {
            scheduleRetry(t, outcome);
        } else if (outcome.failed()) {
            LOG.warn(
                    "Poll of {} failed: {}; next poll at {}",
                    t.splitId,
                    outcome.describe(),
                    java.time.Instant.ofEpochMilli(t.nextPollAt));
        }
        results.add(new PollResult(t.splitId, outcome.message(), t.nextPollAt, t.pollsDone));
    }

    private void scheduleRetry(Target t, PollOutcome outcome) {
        t.attempt++;
        long nowClock = clock.currentTimeMillis();
        long delay =
                PollSchedule.backoff(
                        t.attempt, config.initialBackoffMs(), config.maxBackoffMs(), random);
        if (outcome.retryAfterMs() > 0) {
            bucket(t.exchange)
                    .pauseUntil(
                            System.nanoTime()
                                    + TimeUnit.MILLISECONDS.toNanos(outcome.retryAfterMs()));
            delay = Math.max(delay, clock.fromRealMillis(outcome.retryAfterMs()));
        }
        long retryAt = nowClock + delay;
        if (retryAt < Math.min(t.nextPollAt, t.stopAt)) {
            t.retryAt = retryAt;
            LOG.warn(
                    "Poll of {} failed: {}; retry {} after {} ms of clock time",
                    t.splitId,
                    outcome.describe(),
                    t.attempt,
                    delay);
        } else {
            LOG.warn(
                    "Poll of {} failed: {}; no retry before the next poll at {}",
                    t.splitId,
                    outcome.describe(),
                    java.time.Instant.ofEpochMilli(t.nextPollAt));
        }
    }

    private TokenBucket bucket(String exchange) {
        return buckets.computeIfAbsent(
                exchange, e -> new TokenBucket(config.rateLimit(e), System.nanoTime()));
    }

    /** The schedule of one split; touched only by the polling thread. */
    private static final class Target {
        final String splitId;
        final String exchange;
        final String market;
        final long stopAt;
        long nextPollAt;
        int pollsDone;

        /** Clock time of the pending retry, -1 when none. */
        long retryAt = -1;

        /** Failed attempts in a row for the current scheduled poll. */
        int attempt;

        CompletableFuture<PollOutcome> inFlight;

        Target(RestBookSplit split) {
            this.splitId = split.splitId();
            this.exchange = split.exchange();
            this.market = split.market();
            this.stopAt = split.stopAt();
            this.nextPollAt = split.nextPollAt();
            this.pollsDone = split.pollsDone();
        }
    }

    private static final class Completion {
        final Target target;
        final PollOutcome outcome;

        Completion(Target target, PollOutcome outcome) {
            this.target = target;
            this.outcome = outcome;
        }
    }
}
