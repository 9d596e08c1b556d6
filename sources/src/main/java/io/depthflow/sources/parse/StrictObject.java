package io.depthflow.sources.parse;

import org.apache.flink.annotation.Internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The strict reading loop of one JSON object's fields, shared by the WebSocket parsers of every
 * venue (one instance per object shape and parser, reused object after object):
 *
 * <pre>{@code
 * private static final int CHANNEL = 0, TYPE = 1, EVENTS = 2;
 * private final StrictObject envelope = new StrictObject(EX, "channel", "type", "events");
 * ...
 * envelope.begin(null, -1); // at the object's START_OBJECT
 * for (int key; (key = envelope.next(p)) != StrictObject.END; ) {
 *     switch (key) { // the parser is on the key's value
 *         case CHANNEL: channel = text(p); break;
 *         ...
 *     }
 * }
 * }</pre>
 *
 * {@link #next} skips every field it was not given (and whatever it holds), rejects a key it was
 * given that appears a second time (a {@code malformed} {@link BookParseException} naming {@code
 * list[index].key}, as {@link StrictJson#once}: a book with two "bids" has no single meaning), and
 * returns the index of each other key with the parser on its value. A repeated key it skips changes
 * nothing it reads. Key lookup: Jackson interns field names and Java interns literals, so the keys
 * are first compared by identity, then by value.
 */
@Internal
public final class StrictObject {

    /** What {@link #next} returns at the end of the object. */
    public static final int END = -1;

    private final String exchange;
    private final String[] keys;
    private String list;
    private int index;
    private int seen;

    /**
     * @param exchange the venue named in error messages
     * @param keys the keys the caller reads, at most 32; {@link #next} returns their indices
     */
    public StrictObject(String exchange, String... keys) {
        if (keys.length > 32) {
            throw new IllegalArgumentException("at most 32 keys, got " + keys.length);
        }
        this.exchange = exchange;
        this.keys = keys.clone();
    }

    /**
     * Starts reading an object (the parser is on its {@code START_OBJECT}); {@code list} and {@code
     * index} name it in error messages ({@code list[index].key}, {@code list.key} for index -1,
     * {@code key} for a null list).
     */
    public void begin(String list, int index) {
        this.list = list;
        this.index = index;
        this.seen = 0;
    }

    /**
     * Advances to the next field the caller reads and returns its key's index, the parser on its
     * value; {@link #END} at the object's end.
     */
    public int next(JsonParser p) throws IOException, BookParseException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int k = keyOf(p.currentName());
            p.nextToken();
            if (k == END) {
                p.skipChildren();
                continue;
            }
            seen = StrictJson.once(seen, 1 << k, exchange, list, index, keys[k]);
            return k;
        }
        return END;
    }

    /** Whether the key of index {@code k} was read in the current object. */
    public boolean has(int k) {
        return (seen & (1 << k)) != 0;
    }

    private int keyOf(String name) {
        String[] ks = keys;
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] == name) {
                return i;
            }
        }
        for (int i = 0; i < ks.length; i++) {
            if (ks[i].equals(name)) {
                return i;
            }
        }
        return END;
    }
}
