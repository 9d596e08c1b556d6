package io.depthflow.sources.capture;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonFactory;
import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.venue.Venues;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The one place where a capture line becomes a message or an error row: capture files ({@code run
 * --replay}) and Kafka raw-log records ({@code --source kafka}) alike. One instance per ordered
 * stream of lines (a file, a Kafka partition), because the time rules look at what came before. Not
 * thread-safe.
 *
 * <p>A line is usable when all of these hold, checked in this order; the first that fails makes the
 * line one {@link IngestError} (never an exception):
 *
 * <ol>
 *   <li>It is UTF-8 ({@code malformed}; the row's payload is then the line in base64).
 *   <li>It is one capture record ({@link CaptureFormat}): one JSON object, nothing after it, not
 *       cut short, no field twice, every required field present with its type ({@code malformed}).
 *   <li>The envelope's values are ones the job knows ({@code malformed}): {@code exchange} is one
 *       of {@link Exchanges#ALL}; {@code kind} is {@code rest_book}, {@code ws} or {@code
 *       ws_event}; {@code market} is canonical ({@link Markets#validate}), or empty on a WebSocket
 *       line; {@code http_status} is 100..599 on a REST response, absent (0) on a transport failure
 *       and on WebSocket lines.
 *   <li>A REST payload that names its instrument names the envelope's market ({@code malformed},
 *       with both names), as the venue checks it ({@link
 *       io.depthflow.sources.venue.RestProtocol#marketMismatch}: Kraken's result pair, Coinbase's
 *       {@code product_id} where the body has one).
 *   <li>{@code received_at} lies between {@value #EARLIEST_TEXT} and the time of reading plus
 *       {@link #FUTURE_TOLERANCE} ({@link IngestError#TIME_OUT_OF_RANGE}).
 *   <li>{@code received_at} is at most {@link #MAX_JUMP} beyond the latest received_at accepted
 *       before it in the same stream ({@link IngestError#TIME_JUMP}). Taken as data, such a line
 *       would move event time (the watermark) forward and make every line after it late. A real gap
 *       (a writer down for hours) looks the same at first: when the next usable line is again
 *       beyond the bound and within {@link #MAX_JUMP} of the rejected one, the stream has moved on
 *       and that line is accepted (the first line after the gap stays an error row).
 * </ol>
 *
 * <p>The error row: {@code exchange} and {@code market} as the line gave them when they are valid,
 * else empty; {@code received_at} the line's own when its time passed the checks, else the latest
 * accepted time before it (0 when there is none yet); {@code error} the place and the reason
 * ({@code capture.jsonl:17: unknown exchange "binance"}); {@code payload} the whole line; {@code
 * source} the place. Values quoted in reasons are escaped (non-printable and non-ASCII characters
 * as {@code \}{@code uXXXX}).
 */
@PublicEvolving
public final class EnvelopeValidator {

    static final String EARLIEST_TEXT = "2009-01-03T00:00:00Z";

    /** The first Bitcoin block: nothing this job reads was received before it. */
    public static final long EARLIEST = Instant.parse(EARLIEST_TEXT).toEpochMilli();

    /** How far past the time of reading a received_at may lie (clocks of two machines differ). */
    public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

    /** How far beyond the latest accepted received_at a line may lie without being a jump. */
    public static final Duration MAX_JUMP = Duration.ofHours(1);

    private static final long NONE = Long.MIN_VALUE;
    private static final int SHOWN_CHARS = 80;
    private static final JsonFactory JSON = new JsonFactory();

    private final LongSupplier clock;
    private long latest = NONE;
    private long pendingJump = NONE;

    /**
     * @param clock the time of reading, epoch ms (the wall clock in a job)
     */
    public EnvelopeValidator(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Starts the stream as if a line received at {@code reference} had been accepted, so that the
     * jump rule also covers the first line (a replay takes the median time of the file's first
     * lines, {@link #referenceTime}).
     */
    public EnvelopeValidator startingAt(long reference) {
        this.latest = reference;
        return this;
    }

    /** The latest accepted received_at, or {@link Long#MIN_VALUE} when none. */
    public long latest() {
        return latest;
    }

    /**
     * The median received_at of the usable lines among {@code lines} (each judged alone, without
     * the jump rule), or {@link Long#MIN_VALUE} when none is usable.
     */
    public static long referenceTime(List<byte[]> lines, LongSupplier clock) {
        List<Long> times = new ArrayList<>();
        for (byte[] line : lines) {
            DecodedLine d = new EnvelopeValidator(clock).decode(line, "");
            if (d.isUsable()) {
                times.add(d.message.receivedAt);
            }
        }
        if (times.isEmpty()) {
            return NONE;
        }
        Collections.sort(times);
        return times.get(times.size() / 2);
    }

    /**
     * Decodes one line ({@code null}: a record without a value); {@code source} names its place
     * ({@code capture.jsonl:17}, {@code depthflow.raw-3@1234}).
     */
    public DecodedLine decode(byte[] line, String source) {
        if (line == null) {
            return reject(
                    null, null, source, IngestError.MALFORMED, "no value (a Kafka tombstone)", "");
        }
        String text = utf8(line);
        if (text == null) {
            return reject(
                    null,
                    null,
                    source,
                    IngestError.MALFORMED,
                    "not UTF-8 at byte " + firstBadByte(line) + " (payload: the line in base64)",
                    Base64.getEncoder().encodeToString(line));
        }
        RawMessage m;
        try {
            m = CaptureFormat.decode(text);
        } catch (CaptureFormatException e) {
            return reject(
                    null,
                    null,
                    source,
                    IngestError.MALFORMED,
                    "not a capture record: " + e.getMessage(),
                    text);
        } catch (RuntimeException e) {
            // Defensive: whatever a line holds, it must become a row, not stop the job.
            return reject(
                    null, null, source, IngestError.MALFORMED, "not a capture record: " + e, text);
        }
        String problem = envelopeProblem(m);
        String timeProblem = timeProblem(m.receivedAt);
        boolean jump = latest != NONE && m.receivedAt > latest + MAX_JUMP.toMillis();
        boolean timeOk = timeProblem == null && !jump;
        if (problem != null) {
            return reject(
                    m, timeOk ? m.receivedAt : null, source, IngestError.MALFORMED, problem, text);
        }
        if (timeProblem != null) {
            return reject(m, null, source, IngestError.TIME_OUT_OF_RANGE, timeProblem, text);
        }
        long t = m.receivedAt;
        if (jump) {
            boolean confirmsGap =
                    pendingJump != NONE && Math.abs(t - pendingJump) <= MAX_JUMP.toMillis();
            if (!confirmsGap) {
                pendingJump = t;
                return reject(
                        m,
                        null,
                        source,
                        IngestError.TIME_JUMP,
                        "received_at "
                                + Instant.ofEpochMilli(t)
                                + " is more than "
                                + MAX_JUMP.toMinutes()
                                + " min after the latest time accepted before it ("
                                + Instant.ofEpochMilli(latest)
                                + "): it would move event time forward and make the lines after it late",
                        text);
            }
        }
        latest = latest == NONE ? t : Math.max(latest, t);
        pendingJump = NONE;
        return DecodedLine.of(m);
    }

    /** Why the envelope's values are not usable, or null. */
    static String envelopeProblem(RawMessage m) {
        if (!Exchanges.ALL.contains(m.exchange)) {
            return "unknown exchange "
                    + quote(m.exchange)
                    + " (expected one of "
                    + Exchanges.ALL
                    + ")";
        }
        boolean rest = RawMessage.KIND_REST_BOOK.equals(m.kind);
        boolean ws = RawMessage.KIND_WS.equals(m.kind) || RawMessage.KIND_WS_EVENT.equals(m.kind);
        if (!rest && !ws) {
            return "unknown kind " + quote(m.kind) + " (expected rest_book, ws or ws_event)";
        }
        if (!(ws && m.market.isEmpty()) && !isCanonical(m.market)) {
            return "market "
                    + quote(m.market)
                    + " is not canonical (BASE/QUOTE in upper case, e.g. BTC/USD"
                    + (ws ? ", or empty for a connection's own message" : "")
                    + ")";
        }
        if (ws && m.httpStatus != 0) {
            return "http_status " + m.httpStatus + " on a WebSocket line";
        }
        if (rest && m.error != null && m.httpStatus != 0) {
            return "http_status "
                    + m.httpStatus
                    + " on a poll that got no response (error "
                    + quote(m.error)
                    + ")";
        }
        if (rest && m.error == null && (m.httpStatus < 100 || m.httpStatus > 599)) {
            return "http_status " + m.httpStatus + " is not an HTTP status (100..599)";
        }
        if (rest && m.error == null && m.httpStatus == 200) {
            String mismatch = Venues.get(m.exchange).rest().marketMismatch(m.market, m.payload);
            if (mismatch != null) {
                return mismatch;
            }
        }
        return null;
    }

    private String timeProblem(long t) {
        if (t < EARLIEST) {
            return "received_at "
                    + Instant.ofEpochMilli(t)
                    + " is before "
                    + EARLIEST_TEXT
                    + " (the first Bitcoin block)";
        }
        long now = clock.getAsLong();
        if (t > now + FUTURE_TOLERANCE.toMillis()) {
            return "received_at "
                    + Instant.ofEpochMilli(t)
                    + " is after the time of reading ("
                    + Instant.ofEpochMilli(now)
                    + ") plus "
                    + FUTURE_TOLERANCE.toMinutes()
                    + " min";
        }
        return null;
    }

    private DecodedLine reject(
            RawMessage m, Long ownTime, String source, String type, String reason, String payload) {
        String exchange = m != null && Exchanges.ALL.contains(m.exchange) ? m.exchange : "";
        String market = m != null && isCanonical(m.market) ? m.market : "";
        long at = ownTime != null ? ownTime : latest == NONE ? 0L : latest;
        IngestError e =
                new IngestError(
                        exchange,
                        market,
                        at,
                        type,
                        source.isEmpty() ? reason : source + ": " + reason,
                        payload);
        e.source = source;
        return DecodedLine.of(e);
    }

    private static boolean isCanonical(String market) {
        try {
            Markets.validate(market);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The text of {@code bytes} when they are UTF-8, else null. */
    private static String utf8(byte[] bytes) {
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(ByteBuffer.wrap(bytes), out, true);
        if (r.isError() || decoder.flush(out).isError()) {
            return null;
        }
        out.flip();
        return out.toString();
    }

    private static int firstBadByte(byte[] bytes) {
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        decoder.decode(in, CharBuffer.allocate(bytes.length), true);
        return in.position();
    }

    /** {@code s} as a quoted string whose non-printable and non-ASCII characters are escaped. */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), SHOWN_CHARS) + 8).append('"');
        for (int i = 0; i < s.length() && i < SHOWN_CHARS; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > SHOWN_CHARS) {
            b.append("...");
        }
        return b.append('"').toString();
    }
}
