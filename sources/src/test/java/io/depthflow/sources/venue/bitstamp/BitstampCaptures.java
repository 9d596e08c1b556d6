package io.depthflow.sources.venue.bitstamp;

import io.depthflow.sources.testing.Fixtures;

import java.util.ArrayList;
import java.util.List;

/**
 * The real Bitstamp captures under {@code fixtures/real/bitstamp/} (see the README there), line by
 * line.
 */
final class BitstampCaptures {

    /** One REST body: the pair from its URL, the body as received. */
    record RestBody(String pair, String body) {}

    private BitstampCaptures() {}

    /** The {@code GET /api/v2/order_book/{pair}} bodies, in file order. */
    static List<RestBody> restBodies() {
        List<RestBody> out = new ArrayList<>();
        for (String line :
                Fixtures.resource("fixtures/real/bitstamp/bitstamp-rest.txt").split("\n")) {
            int arrow = line.indexOf(" -> ");
            String url = line.substring(0, arrow);
            String rest = line.substring(arrow + 4);
            out.add(
                    new RestBody(
                            url.substring(url.lastIndexOf('/') + 1),
                            rest.substring(rest.indexOf(": ") + 2)));
        }
        return out;
    }

    /** The received WebSocket messages (lines {@code TS: JSON}), in arrival order. */
    static List<String> received() {
        List<String> out = new ArrayList<>();
        for (String line :
                Fixtures.resource("fixtures/real/bitstamp/bitstamp-ws.txt").split("\n")) {
            if (!line.startsWith("wss://") && !line.isBlank()) {
                out.add(line.substring(line.indexOf(": ") + 2));
            }
        }
        return out;
    }
}
