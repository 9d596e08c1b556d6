package io.depthflow.sources.venue;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.rest.RateLimit;
import io.depthflow.sources.simulator.RestDialect;
import io.depthflow.sources.simulator.StreamDialect;

import java.util.List;

/**
 * The wiring every venue shares: a venue is its own {@link RestProtocol} and {@link
 * StreamProtocol}, and its name, fee, URLs, rate limit, integrity mechanism and simulator dialects
 * are plain values given to this constructor. A venue's class ({@code venue.<name>.<Name>Venue})
 * extends this and writes only what is its own: the book request and parser, the subscription, the
 * decoder and, where the venue has them, depths, resubscription, pings, sequence and checksum.
 *
 * <p>The stream defaults fit a venue whose subscription takes no depth and which sends the whole
 * book, needs no application-level ping and has no per-market resubscription (a failed book
 * restarts the connection); a venue that differs overrides the method.
 */
@PublicEvolving
public abstract class AbstractVenue implements Venue, RestProtocol, StreamProtocol {

    private final String name;
    private final String baseTierTakerFeeBps;
    private final String defaultBaseUrl;
    private final RateLimit defaultRateLimit;
    private final String defaultUrl;
    private final Integrity integrity;
    private final RestDialect restDialect;
    private final StreamDialect streamDialect;

    /**
     * @param name {@link Venue#name()}
     * @param baseTierTakerFeeBps {@link Venue#baseTierTakerFeeBps()}; the subclass cites its source
     * @param defaultBaseUrl {@link RestProtocol#defaultBaseUrl()}
     * @param defaultRateLimit {@link RestProtocol#defaultRateLimit()}
     * @param defaultUrl {@link StreamProtocol#defaultUrl()}
     * @param integrity {@link StreamProtocol#integrity()}
     * @param restDialect {@link Venue#restDialect()}, stateless
     * @param streamDialect {@link Venue#streamDialect()}, stateless
     */
    protected AbstractVenue(
            String name,
            String baseTierTakerFeeBps,
            String defaultBaseUrl,
            RateLimit defaultRateLimit,
            String defaultUrl,
            Integrity integrity,
            RestDialect restDialect,
            StreamDialect streamDialect) {
        this.name = name;
        this.baseTierTakerFeeBps = baseTierTakerFeeBps;
        this.defaultBaseUrl = defaultBaseUrl;
        this.defaultRateLimit = defaultRateLimit;
        this.defaultUrl = defaultUrl;
        this.integrity = integrity;
        this.restDialect = restDialect;
        this.streamDialect = streamDialect;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String baseTierTakerFeeBps() {
        return baseTierTakerFeeBps;
    }

    @Override
    public final RestProtocol rest() {
        return this;
    }

    @Override
    public final StreamProtocol stream() {
        return this;
    }

    @Override
    public final RestDialect restDialect() {
        return restDialect;
    }

    @Override
    public final StreamDialect streamDialect() {
        return streamDialect;
    }

    @Override
    public final String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    @Override
    public final RateLimit defaultRateLimit() {
        return defaultRateLimit;
    }

    @Override
    public final String defaultUrl() {
        return defaultUrl;
    }

    @Override
    public final Integrity integrity() {
        return integrity;
    }

    /** None: the subscription takes no depth. */
    @Override
    public List<Integer> depths() {
        return List.of();
    }

    /** 0: ignored while {@link #depths()} is empty. */
    @Override
    public int defaultDepth() {
        return 0;
    }

    /** The feed sends (and the client keeps) the whole book. */
    @Override
    public int bookDepth() {
        return DEPTH_UNLIMITED;
    }

    /** None: a failed book restarts the connection. */
    @Override
    public List<String> resubscribe(String market, int depth, StreamDecoder decoder) {
        return List.of();
    }

    /** None: the venue needs no application-level ping. */
    @Override
    public String ping(long id) {
        return null;
    }
}
