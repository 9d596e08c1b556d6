package io.depthflow.sources.model;

import java.math.BigDecimal;

/**
 * Exact decimal parsing into scaled longs. Prices and sizes arrive as decimal strings ("6247.58",
 * "0.00100000"); they are never passed through {@code double}. A value is held as an unscaled
 * {@code long} plus a scale (number of fraction digits), so {@code "6247.58"} is {@code 624758} at
 * scale 2.
 *
 * <p>Only plain non-negative decimals are accepted: digits, at most one '.', at least one digit
 * before or after it, no sign, exponent, whitespace or thousands separator. Anything else throws
 * {@link NumberFormatException} with a message naming the offending text.
 */
public final class Decimals {

    /** Largest scale accepted; 18 fraction digits covers every exchange's tick and lot size. */
    public static final int MAX_SCALE = 18;

    private static final long[] POW10 = new long[19];

    /** Above this, one more digit overflows a long whatever it is. */
    private static final long OVERFLOW_GUARD = Long.MAX_VALUE / 10;

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private Decimals() {}

    /** Number of digits after the '.', 0 when there is none. Validates the syntax. */
    public static int scaleOf(String s) {
        validate(s);
        int dot = s.indexOf('.');
        return dot < 0 ? 0 : s.length() - dot - 1;
    }

    /**
     * Parses {@code s} into an unscaled long at {@code scale}, which must be at least {@link
     * #scaleOf(String)}. Throws {@link NumberFormatException} on bad syntax or overflow.
     */
    public static long parseScaled(String s, int scale) {
        // One pass: digits, the dot and overflow are all noted, then reported in the order
        // syntax, scale, overflow (a malformed value is malformed even when it is also too long).
        if (s == null || s.isEmpty()) {
            throw new NumberFormatException("empty decimal");
        }
        int n = s.length();
        long v = 0;
        boolean overflow = false;
        boolean plain = true;
        int dot = -1;
        int digits = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                if (!overflow) {
                    long next = v * 10 + (c - '0');
                    overflow = v > OVERFLOW_GUARD || next < 0;
                    v = next;
                }
            } else if (c == '.' && dot < 0) {
                dot = i;
            } else {
                plain = false;
            }
        }
        if (!plain || digits == 0) {
            throw new NumberFormatException("'" + abbreviate(s) + "' is not a plain decimal");
        }
        int own = dot < 0 ? 0 : n - dot - 1;
        if (own > scale) {
            throw new NumberFormatException(
                    "'" + s + "' has " + own + " fraction digits, more than scale " + scale);
        }
        if (scale > MAX_SCALE) {
            throw new NumberFormatException("scale " + scale + " exceeds " + MAX_SCALE);
        }
        try {
            if (overflow) {
                throw new ArithmeticException();
            }
            return Math.multiplyExact(v, POW10[scale - own]);
        } catch (ArithmeticException e) {
            throw new NumberFormatException(
                    "'" + s + "' is too large for a scaled long at scale " + scale);
        }
    }

    /** 10^n as a long, for 0 &lt;= n &lt;= 18. */
    public static long pow10(int n) {
        return POW10[n];
    }

    /** The exact value of an unscaled long at a scale. */
    public static BigDecimal toBigDecimal(long unscaled, int scale) {
        return BigDecimal.valueOf(unscaled, scale);
    }

    private static void validate(String s) {
        if (s == null || s.isEmpty()) {
            throw new NumberFormatException("empty decimal");
        }
        int dots = 0;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c >= '0' && c <= '9') {
                digits++;
            } else {
                throw new NumberFormatException("'" + abbreviate(s) + "' is not a plain decimal");
            }
        }
        if (dots > 1 || digits == 0) {
            throw new NumberFormatException("'" + abbreviate(s) + "' is not a plain decimal");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
