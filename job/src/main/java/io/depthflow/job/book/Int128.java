package io.depthflow.job.book;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A mutable non-negative 128-bit integer ({@code hi * 2^64 + lo}, {@code lo} unsigned), for exact
 * sums of products of two scaled longs (a level's notional is price × size at scale priceScale +
 * sizeScale, up to about 2^126) without allocating per level. Overflow beyond 127 bits throws
 * {@link ArithmeticException}. Not thread-safe.
 */
public final class Int128 {

    private long hi;
    private long lo;

    public Int128() {}

    /** {@code hi * 2^64 + lo} (lo unsigned). */
    public static Int128 of(long hi, long lo) {
        Int128 r = new Int128();
        r.hi = hi;
        r.lo = lo;
        return r;
    }

    /** The high 64 bits. */
    public long hi() {
        return hi;
    }

    /** The low 64 bits, unsigned. */
    public long lo() {
        return lo;
    }

    /** {@code a * b} for non-negative {@code a}, {@code b}. */
    public static Int128 product(long a, long b) {
        Int128 r = new Int128();
        r.setProduct(a, b);
        return r;
    }

    public void set(Int128 other) {
        hi = other.hi;
        lo = other.lo;
    }

    /** this = {@code hi * 2^64 + lo} (lo unsigned). */
    public void set(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    public void setZero() {
        hi = 0;
        lo = 0;
    }

    /** this = a * b, for non-negative {@code a}, {@code b}. */
    public void setProduct(long a, long b) {
        hi = Math.multiplyHigh(a, b);
        lo = a * b;
    }

    /** this += a * b, for non-negative {@code a}, {@code b}. */
    public void addProduct(long a, long b) {
        long phi = Math.multiplyHigh(a, b);
        long plo = a * b;
        long sum = lo + plo;
        long carry = Long.compareUnsigned(sum, lo) < 0 ? 1 : 0;
        lo = sum;
        hi = Math.addExact(Math.addExact(hi, phi), carry);
    }

    /** this += v, for a non-negative {@code v}. */
    public void add(long v) {
        long sum = lo + v;
        long carry = Long.compareUnsigned(sum, lo) < 0 ? 1 : 0;
        lo = sum;
        hi = Math.addExact(hi, carry);
    }

    /** this += other. */
    public void add(Int128 other) {
        long sum = lo + other.lo;
        long carry = Long.compareUnsigned(sum, lo) < 0 ? 1 : 0;
        lo = sum;
        hi = Math.addExact(Math.addExact(hi, other.hi), carry);
    }

    /** this *= m, for a non-negative {@code m}. */
    public void multiply(long m) {
        long newHi = Math.addExact(Math.multiplyExact(hi, m), unsignedMultiplyHigh(lo, m));
        lo = lo * m;
        hi = newHi;
    }

    /** Signed comparison (both non-negative in practice). */
    public int compareTo(Int128 other) {
        int c = Long.compare(hi, other.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
    }

    public boolean isZero() {
        return hi == 0 && lo == 0;
    }

    /**
     * This value at {@code scale} fraction digits: {@code this / 10^scale}, equal (value and scale)
     * to {@code new BigDecimal(toBigInteger(), scale)}, without a {@code BigInteger} when it fits a
     * long.
     */
    public BigDecimal toBigDecimal(int scale) {
        return hi == 0 && lo >= 0
                ? BigDecimal.valueOf(lo, scale)
                : new BigDecimal(toBigInteger(), scale);
    }

    /** A non-negative value below 2^127, as an Int128. */
    public static Int128 of(BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > 127) {
            throw new ArithmeticException("not a non-negative 127-bit integer: " + v);
        }
        return of(v.shiftRight(64).longValue(), v.longValue());
    }

    public BigInteger toBigInteger() {
        BigInteger high = BigInteger.valueOf(hi).shiftLeft(64);
        BigInteger low = BigInteger.valueOf(lo >>> 1).shiftLeft(1).or(BigInteger.valueOf(lo & 1));
        return high.or(low);
    }

    /** The unsigned high 64 bits of {@code a * b} (Java 18's Math.unsignedMultiplyHigh). */
    static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Int128 && ((Int128) o).hi == hi && ((Int128) o).lo == lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi) * 31 + Long.hashCode(lo);
    }

    @Override
    public String toString() {
        return toBigInteger().toString();
    }
}
