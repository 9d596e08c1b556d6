package io.depthflow.sources.venue;

import io.depthflow.sources.testing.Fixtures;

import java.util.ArrayList;
import java.util.List;

/**
 * A recording in cryptofeed's raw-data format (fixtures/real/VENUE/README.md): {@code URL <-> TS}
 * opens a connection, {@code URL <- TS: JSON} is a message the client sent, {@code TS: JSON} one it
 * received. Gives the received payloads, verbatim, in order.
 */
public final class RecordedFeed {

    private RecordedFeed() {}

    /** Received payloads of {@code fixtures/real/<path>}, in order. */
    public static List<String> received(String path) {
        List<String> out = new ArrayList<>();
        for (String line : Fixtures.resource("fixtures/real/" + path).split("\n")) {
            if (line.isEmpty() || line.contains(" <-> ") || line.contains(" <- ")) {
                continue;
            }
            int colon = line.indexOf(": ");
            out.add(line.substring(colon + 2));
        }
        return out;
    }

    /** Sent payloads (subscriptions, conf) of {@code fixtures/real/<path>}, in order. */
    public static List<String> sent(String path) {
        List<String> out = new ArrayList<>();
        for (String line : Fixtures.resource("fixtures/real/" + path).split("\n")) {
            if (line.contains(" <- ")) {
                out.add(line.substring(line.indexOf(": ") + 2));
            }
        }
        return out;
    }
}
