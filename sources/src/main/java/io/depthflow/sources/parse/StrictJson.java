package io.depthflow.sources.parse;

import org.apache.flink.annotation.Internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.depthflow.sources.model.Decimals;
import io.depthflow.sources.model.IngestError;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Strict reading of exchange payloads with Jackson's streaming parser, shared by the exchange
 * parsers. Numbers are never materialized as {@code double}: decimal values must be JSON strings
 * and are kept as text until {@link BookNormalizer} scales them. Every failure becomes a {@link
 * IngestError#MALFORMED} {@link BookParseException} whose message names the JSON path.
 */
@Internal
public final class StrictJson {

    /** Duplicate object keys are rejected: a book with two "bids" has no single meaning. */
    private static final JsonFactory FACTORY =
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * Without Jackson's duplicate detection, which builds a set of names for every object: for the
     * WebSocket parsers, which read many small objects per message and reject a repeated key among
     * the ones they read themselves ({@link #once}); a repeated key they skip changes nothing they
     * read.
     */
    private static final JsonFactory UNCHECKED = JsonFactory.builder().build();

    private static final int MAX_SHOWN = 40;

    private StrictJson() {}

    /** A parser over {@code payload}; the caller closes it. */
    public static JsonParser open(String payload) {
        try {
            return FACTORY.createParser(payload);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a String", e);
        }
    }

    /**
     * A parser over {@code payload} that leaves duplicate keys to the caller, who must check every
     * key it reads with {@link #once}; the caller closes it.
     */
    public static JsonParser openCheckingKeysYourself(String payload) {
        try {
            return UNCHECKED.createParser(payload);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a String", e);
        }
    }

    /**
     * Records that the key {@code bit} of the current object has been read, rejecting a second one:
     * {@code seen | bit}, or a malformed error naming {@code list[index].key} ({@code key} alone
     * when {@code list} is null), built only then.
     */
    public static int once(int seen, int bit, String exchange, String list, int index, String key)
            throws BookParseException {
        if ((seen & bit) != 0) {
            String where =
                    list == null
                            ? key
                            : index < 0 ? list + "." + key : list + "[" + index + "]." + key;
            throw malformed(exchange, "duplicate key " + where);
        }
        return seen | bit;
    }

    public static BookParseException malformed(String exchange, String what) {
        return new BookParseException(IngestError.MALFORMED, exchange + ": " + what);
    }

    /** The message of a syntax error, with where it happened. */
    public static BookParseException invalidJson(String exchange, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where =
                at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
        return malformed(exchange, "invalid JSON" + where + ": " + syntaxError(e));
    }

    /**
     * Jackson's description of a syntax error in plain words: without the source excerpt, the
     * character code and the list of JSON value types; an HTML page named as one.
     */
    public static String syntaxError(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.startsWith("Unexpected character ('<'")) {
            return "the text starts with '<', an HTML or XML page rather than JSON";
        }
        String values = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
        return m.replaceAll(" \\(code \\d+\\)", "")
                .replace("a valid value " + values, "a JSON value")
                .replace(values, "a JSON value")
                .replaceAll("[\\r\\n]+", " ");
    }

    /** Advances to the root value and requires it to be an object. */
    public static void expectRootObject(JsonParser p, String exchange)
            throws IOException, BookParseException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw malformed(exchange, "body is not a JSON object: " + describe(p));
        }
    }

    /** Requires nothing but whitespace after the root value. */
    public static void expectEndOfInput(JsonParser p, String exchange)
            throws IOException, BookParseException {
        if (p.nextToken() != null) {
            throw malformed(exchange, "unexpected content after the JSON object: " + describe(p));
        }
    }

    /** The current token as it should appear in an error message. */
    public static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "end of input";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return '"' + abbreviate(p.getText()) + '"';
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
            case VALUE_TRUE:
            case VALUE_FALSE:
            case VALUE_NULL:
                return abbreviate(p.getText());
            default:
                return t.asString() == null ? t.name() : t.asString();
        }
    }

    /**
     * Reads an array of levels {@code [price string, size string, integer]} at the current token
     * (which must be {@code START_ARRAY}) into {@code into}. {@code thirdName} names the integer
     * (num_orders, timestamp) for messages. Price and size must be decimal strings that {@link
     * Decimals} accepts; nothing is scaled yet.
     */
    public static void readLevels(
            JsonParser p, String exchange, String side, String thirdName, RawLevels into)
            throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw malformed(exchange, side + " is not an array: " + describe(p));
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String at = side + "[" + i + "]";
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw malformed(exchange, at + " is not an array: " + describe(p));
            }
            String price = readDecimalString(p, exchange, at + "[0]");
            String size = readDecimalString(p, exchange, at + "[1]");
            if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                if (p.currentToken() == JsonToken.END_ARRAY) {
                    throw malformed(exchange, at + " has 2 elements, expected 3");
                }
                throw malformed(
                        exchange, at + "[2] (" + thirdName + ") is not an integer: " + describe(p));
            }
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw malformed(exchange, at + " has more than 3 elements");
            }
            into.add(price, size);
            i++;
        }
    }

    /**
     * Reads an array of levels {@code [price string, size string]} (exactly two elements, as
     * Bitstamp sends them) at the current token into {@code into}, as {@link #readLevels} does.
     */
    public static void readPairLevels(JsonParser p, String exchange, String side, RawLevels into)
            throws IOException, BookParseException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw malformed(exchange, side + " is not an array: " + describe(p));
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String at = side + "[" + i + "]";
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw malformed(exchange, at + " is not an array: " + describe(p));
            }
            String price = readDecimalString(p, exchange, at + "[0]");
            String size = readDecimalString(p, exchange, at + "[1]");
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw malformed(exchange, at + " has more than 2 elements");
            }
            into.add(price, size);
            i++;
        }
    }

    private static String readDecimalString(JsonParser p, String exchange, String at)
            throws IOException, BookParseException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            throw malformed(exchange, at + " is missing");
        }
        if (t != JsonToken.VALUE_STRING) {
            throw malformed(exchange, at + " is not a decimal string: " + describe(p));
        }
        String text = p.getText();
        try {
            int scale = Decimals.scaleOf(text);
            if (scale > Decimals.MAX_SCALE) {
                throw malformed(
                        exchange,
                        at
                                + " has "
                                + scale
                                + " fraction digits, more than "
                                + Decimals.MAX_SCALE
                                + ": "
                                + describe(p));
            }
        } catch (NumberFormatException e) {
            throw malformed(exchange, at + " is not a decimal string: " + describe(p));
        }
        return text;
    }

    private static String abbreviate(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
    }

    /**
     * The text of a top-level string field of a JSON object body, or null (absent, not a string, or
     * not JSON). Lenient on purpose: for checks that name a body's market, not for parsing.
     */
    public static String topLevelString(String payload, String name) {
        try (JsonParser p = UNCHECKED.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                if (name.equals(field) && value == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
