package io.depthflow.sources.testing;

import io.depthflow.sources.model.RawMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Test fixtures of this module, shared with other modules through the test-jar: the documented
 * example payloads under {@code fixtures/docs-examples/<venue>/} and raw messages built from them.
 */
public final class Fixtures {

    /** 2026-11-20T11:45:03.203Z, a fixed receive time for fixture messages. */
    public static final long RECEIVED_AT = 1_795_175_103_203L;

    private Fixtures() {}

    /**
     * The text of a documented example payload, exactly as stored. The examples live in one folder
     * per venue, {@code fixtures/docs-examples/<venue>/}; {@code name} is either {@code
     * "<venue>/<file>"} or a file name that starts with its venue ({@code
     * "kraken-rest-depth.json"}), whose folder is then the part before the first {@code -}.
     */
    public static String docsExample(String name) {
        String path = name.indexOf('/') >= 0 ? name : venueOf(name) + "/" + name;
        return resource("fixtures/docs-examples/" + path);
    }

    private static String venueOf(String fileName) {
        int dash = fileName.indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException(
                    "documented example names start with their venue: " + fileName);
        }
        return fileName.substring(0, dash);
    }

    /** A 200 REST response carrying {@code body}, received at {@link #RECEIVED_AT}. */
    public static RawMessage response(String exchange, String market, String body) {
        return response(exchange, market, 200, body);
    }

    public static RawMessage response(String exchange, String market, int status, String body) {
        return RawMessage.restResponse(exchange, market, RECEIVED_AT, status, body);
    }

    public static String resource(String path) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
