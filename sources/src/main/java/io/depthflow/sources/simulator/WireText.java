package io.depthflow.sources.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Decimal and timestamp text of the simulated WebSocket feeds. */
public final class WireText {

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
                    .withZone(ZoneOffset.UTC);

    private WireText() {}

    /**
     * {@code unscaled / 10^scale} with exactly {@code scale} fraction digits (trailing zeros kept).
     */
    public static void appendFixed(StringBuilder out, long unscaled, int scale) {
        String digits = Long.toString(unscaled);
        if (scale == 0) {
            out.append(digits);
            return;
        }
        if (digits.length() <= scale) {
            out.append("0.");
            for (int i = digits.length(); i < scale; i++) {
                out.append('0');
            }
            out.append(digits);
        } else {
            out.append(digits, 0, digits.length() - scale)
                    .append('.')
                    .append(digits, digits.length() - scale, digits.length());
        }
    }

    /** As {@link #appendFixed} without trailing fraction zeros (and without a bare '.'). */
    public static void appendStripped(StringBuilder out, long unscaled, int scale) {
        int start = out.length();
        appendFixed(out, unscaled, scale);
        if (scale == 0) {
            return;
        }
        int end = out.length();
        while (out.charAt(end - 1) == '0') {
            end--;
        }
        if (out.charAt(end - 1) == '.') {
            end--;
        }
        out.setLength(Math.max(end, start + 1));
    }

    /** RFC 3339 with microseconds, as Kraken v2 writes timestamps. */
    public static String micros(long epochMs) {
        return MICROS.format(Instant.ofEpochMilli(epochMs));
    }

    /** RFC 3339 with nanoseconds, as Coinbase Advanced Trade writes envelope timestamps. */
    public static String nanos(long epochMs) {
        return NANOS.format(Instant.ofEpochMilli(epochMs));
    }
}
