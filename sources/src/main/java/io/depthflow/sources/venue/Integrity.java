package io.depthflow.sources.venue;

import org.apache.flink.annotation.PublicEvolving;

/** How a venue's WebSocket feed lets a client prove that its book is the venue's book. */
@PublicEvolving
public enum Integrity {
    /**
     * Nothing to check. Either every book message is a whole book ({@code SNAPSHOT}s only, so a
     * lost message costs nothing), or the venue offers no check (then say in the venue README how a
     * silently diverged book heals).
     */
    NONE,
    /**
     * Per-connection sequence numbers ({@link StreamProtocol#newSequence}): a gap drops every book
     * of the connection, which then reconnects for fresh snapshots.
     */
    SEQUENCE,
    /**
     * A checksum of the top of the book in book messages ({@link StreamProtocol#newChecksum}): a
     * mismatch drops that book and resubscribes it ({@link StreamProtocol#resubscribe}).
     */
    CHECKSUM,
    /**
     * Both a sequence and a checksum (e.g. Bitfinex with its {@code SEQ_ALL} and {@code
     * OB_CHECKSUM} flags).
     */
    SEQUENCE_AND_CHECKSUM;

    public boolean hasSequence() {
        return this == SEQUENCE || this == SEQUENCE_AND_CHECKSUM;
    }

    public boolean hasChecksum() {
        return this == CHECKSUM || this == SEQUENCE_AND_CHECKSUM;
    }
}
