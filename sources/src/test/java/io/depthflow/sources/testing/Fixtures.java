package io.depthflow.sources.testing;

import io.depthflow.sources.model.RawMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Test fixtures of this module, shared with other modules through the test-jar: the documented
 * example payloads under {@code fixtures/docs-examples/} and raw messages built from them.
 */
public final class Fixtures {

    /** 2026-11-20T11:45:03.203Z, a fixed receive time for fixture messages. */
    public static final long RECEIVED_AT = 1_795_175_103_203L;

    private Fixtures() {}

    /** The text of {@code fixtures/docs-examples/<name>}, exactly as stored. */
    public static String docsExample(String name) {
        return resource("fixtures/docs-examples/" + name);
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
