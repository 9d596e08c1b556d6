package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.venue.Venues;

import java.net.URI;

/** The URL of a venue's order book request, from a base URL and a canonical market. */
@Internal
public final class BookRequests {

    private BookRequests() {}

    /** The venue's {@link io.depthflow.sources.venue.RestProtocol#bookUri}. */
    public static URI uri(String exchange, String baseUrl, String market, int depthCount) {
        return Venues.get(exchange).rest().bookUri(baseUrl, market, depthCount);
    }
}
