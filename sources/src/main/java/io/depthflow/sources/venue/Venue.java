package io.depthflow.sources.venue;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.simulator.RestDialect;
import io.depthflow.sources.simulator.StreamDialect;

/**
 * One exchange as a plug-in: everything depthflow knows about a venue, behind one object. A venue
 * lives in its own package ({@code io.depthflow.sources.venue.<name>}) and is registered with one
 * line in {@link Venues#ALL}; the shared code (REST and WebSocket sources, supervision, capture,
 * book, walk, windows, sinks) asks the registry and never names a venue.
 *
 * <p>Implementations are stateless singletons (per-connection state lives in the objects their
 * factories create: {@link StreamProtocol#newDecoder}, {@link StreamProtocol#newSequence}, {@link
 * StreamProtocol#newChecksum}, {@link StreamDialect#open}), so the shared code looks a venue up by
 * its {@link #name()} wherever it runs, and functions shipped to Flink carry the name only.
 */
@PublicEvolving
public interface Venue {

    /**
     * The venue's name in data and on the command line: the {@code exchange} field of every model
     * class, the ClickHouse {@code exchange} column, capture files, the Kafka key ({@code
     * coinbase}, {@code kraken}, {@code bitstamp}). Lower-case letters only; never changes once
     * data exists.
     */
    String name();

    /** The REST order book: request, rate limit default, strict parser. */
    RestProtocol rest();

    /** The WebSocket book feed: URL, subscription, decoding, integrity check, resync. */
    StreamProtocol stream();

    /** The exchange simulator's REST dialect of this venue (its exact wire format and faults). */
    RestDialect restDialect();

    /**
     * The stream simulator's WebSocket dialect of this venue (its exact wire format and faults).
     */
    StreamDialect streamDialect();

    /**
     * The venue's public base-tier taker fee (an account with no 30-day volume) in basis points, as
     * plain decimal text; the default of {@code --taker-fee-bps} for the all-in quotes and routes.
     * Each implementation cites the page and the date it comes from.
     */
    String baseTierTakerFeeBps();
}
