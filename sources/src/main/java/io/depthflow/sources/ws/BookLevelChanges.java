package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;

/**
 * The level changes of one book message as exact decimals (unscaled {@code long} plus its own
 * scale), in wire order: what the book code applies, whether it comes straight from a venue's
 * decoder ({@link StreamMessage}) or from the normalized record between the job's operators ({@link
 * BookEvent}).
 */
@PublicEvolving
public interface BookLevelChanges {

    /** A whole book (replace the levels) rather than changes to apply. */
    boolean isSnapshot();

    /** Number of level changes. */
    int levelCount();

    boolean isBid(int i);

    long price(int i);

    int priceScale(int i);

    long size(int i);

    int sizeScale(int i);

    /** Whether the message carries the venue's book checksum (to verify after applying it). */
    boolean hasChecksum();

    /** The venue's checksum after this message, unsigned 32-bit; -1 when absent. */
    long checksum();
}
