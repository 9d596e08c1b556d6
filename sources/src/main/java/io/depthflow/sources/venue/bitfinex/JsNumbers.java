package io.depthflow.sources.venue.bitfinex;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.model.Decimals;

/**
 * Bitfinex's numbers, read exactly and written back exactly as Bitfinex writes them.
 *
 * <p>Bitfinex sends prices and amounts as JSON numbers in JavaScript's {@code
 * Number.prototype.toString} form: the shortest digits that identify the server's double, plain
 * between 1e-6 and 1e21 ({@code 0.000001}, {@code 19203.444049780002}), exponential below ({@code
 * 9.1e-7}, {@code 5e-8}), a sign for negative amounts (asks). Its book checksum is computed over
 * those same strings (docs "WebSocket Checksum"; bfx-api-node-models issue #70: the checksum
 * matches only with JavaScript's e-notation for tiny prices).
 *
 * <p>{@link #read} turns such a text into an exact decimal (sign, unscaled {@code long}, scale),
 * never through {@code double}: {@code 9.1e-7} is 91 at scale 8. {@link #appendJs} writes an exact
 * decimal the way JavaScript would print the double it denotes, which for any value Bitfinex sent
 * is the very text it sent: the text was already the shortest form, so stripping trailing zeros and
 * choosing plain or exponential notation by ECMAScript's rule (Number::toString, step 6 to 10)
 * gives it back character for character. {@code JsNumbersTest} checks that over every number of a
 * real capture. One instance per parser (it holds the last value read); not thread-safe.
 */
@Internal
public final class JsNumbers {

    private boolean negative;
    private long unscaled;
    private int scale;

    public boolean negative() {
        return negative;
    }

    /** The absolute value, unscaled. */
    public long unscaled() {
        return unscaled;
    }

    public int scale() {
        return scale;
    }

    /**
     * Reads {@code -?digits(.digits)?([eE][+-]?digits)?} from {@code text[off, off+len)}. Returns
     * null on success, else what is wrong (the caller names the field).
     */
    public String read(char[] text, int off, int len) {
        int i = off;
        int end = off + len;
        negative = i < end && text[i] == '-';
        if (negative) {
            i++;
        }
        long v = 0;
        int digits = 0;
        int fraction = 0;
        boolean dot = false;
        for (; i < end; i++) {
            char c = text[i];
            if (c >= '0' && c <= '9') {
                if (v > (Long.MAX_VALUE - 9) / 10) {
                    return "does not fit a scaled long";
                }
                v = v * 10 + (c - '0');
                digits++;
                if (dot) {
                    fraction++;
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (digits == 0) {
            return "is not a number";
        }
        int exponent = 0;
        if (i < end && (text[i] == 'e' || text[i] == 'E')) {
            i++;
            boolean minus = i < end && text[i] == '-';
            if (i < end && (text[i] == '-' || text[i] == '+')) {
                i++;
            }
            int expDigits = 0;
            for (; i < end && text[i] >= '0' && text[i] <= '9'; i++) {
                exponent = exponent * 10 + (text[i] - '0');
                expDigits++;
                if (exponent > 400) {
                    return "has an exponent out of range";
                }
            }
            if (expDigits == 0) {
                return "is not a number";
            }
            exponent = minus ? -exponent : exponent;
        }
        if (i != end) {
            return "is not a number";
        }
        int s = fraction - exponent;
        // Drop trailing zeros the scale does not need (1e-8 written as 1.0e-8 has scale 9
        // otherwise).
        while (s > 0 && v != 0 && v % 10 == 0) {
            v /= 10;
            s--;
        }
        while (s < 0) {
            if (v > Long.MAX_VALUE / 10) {
                return "does not fit a scaled long";
            }
            v *= 10;
            s++;
        }
        if (s > Decimals.MAX_SCALE) {
            return "has " + s + " fraction digits, more than " + Decimals.MAX_SCALE;
        }
        unscaled = v;
        scale = s;
        return null;
    }

    /** As {@link #read(char[], int, int)} for a string. */
    public String read(String text) {
        return read(text.toCharArray(), 0, text.length());
    }

    /**
     * Appends {@code ±unscaled/10^scale} as JavaScript's {@code Number.prototype.toString} prints
     * it (for values a double holds with these digits, which Bitfinex's are): {@code 0}, {@code
     * 2500}, {@code 0.000001}, {@code 9.1e-7}, {@code -481.8549041}.
     */
    public static void appendJs(StringBuilder out, boolean negative, long unscaled, int scale) {
        if (unscaled == 0) {
            out.append('0');
            return;
        }
        if (negative) {
            out.append('-');
        }
        long s = unscaled;
        int sc = scale;
        while (s % 10 == 0) {
            s /= 10;
            sc--;
        }
        String digits = Long.toString(s);
        int k = digits.length();
        int n = k - sc; // value = 0.digits × 10^n
        if (k <= n && n <= 21) {
            out.append(digits);
            for (int i = 0; i < n - k; i++) {
                out.append('0');
            }
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.");
            for (int i = 0; i < -n; i++) {
                out.append('0');
            }
            out.append(digits);
        } else {
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            int e = n - 1;
            out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
    }

    /** {@link #appendJs} as a string. */
    public static String js(boolean negative, long unscaled, int scale) {
        StringBuilder b = new StringBuilder(24);
        appendJs(b, negative, unscaled, scale);
        return b.toString();
    }

    /**
     * The plain decimal text of an absolute value ({@code 91} at scale 8 is {@code 0.00000091}).
     */
    public static String plain(long unscaled, int scale) {
        return java.math.BigDecimal.valueOf(unscaled, scale).toPlainString();
    }
}
