package io.depthflow.sources.venue;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A venue's book checksum, computed on the client's book after a message was applied and compared
 * with the value the message carries ({@code StreamMessage.checksum}, as an unsigned 32-bit value
 * 0..2^32-1: a venue that sends a signed CRC maps it in its decoder). One instance per thread: may
 * reuse buffers.
 */
@PublicEvolving
public interface BookChecksum {

    /** The checksum of {@code book} as it stands, 0..2^32-1. */
    long compute(BookLevels book);

    /** What the checksum covers, for error messages ({@code "top 10 levels per side"}). */
    String coverage();
}
