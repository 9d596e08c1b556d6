package io.depthflow.sources.ws;

import org.apache.flink.annotation.Internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.depthflow.sources.model.Decimals;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.StrictJson;

import java.io.IOException;

/**
 * Reads a price or size at the parser's current token as an exact decimal, from its literal text: a
 * JSON string ({@code "45283.5"}) or a JSON number ({@code 0.10000000}), both taken character by
 * character from Jackson's text buffer ({@link JsonParser#getTextCharacters()}, never {@code
 * getDoubleValue()}), so trailing zeros survive and nothing is allocated. Only plain non-negative
 * decimals are accepted (digits, at most one '.', no sign or exponent), at most {@link
 * Decimals#MAX_SCALE} fraction digits, fitting in a {@code long} unscaled.
 *
 * <p>Usage: {@code read(p, exchange, "bids[0].price"); long v = unscaled(); int s = scale();}; one
 * instance per parser, not thread-safe.
 */
@Internal
public final class ExactNumbers {

    private long unscaled;
    private int scale;

    /** The unscaled value of the last {@link #read}. */
    public long unscaled() {
        return unscaled;
    }

    /** The scale (fraction digits on the wire) of the last {@link #read}. */
    public int scale() {
        return scale;
    }

    /**
     * Reads the current token; throws a malformed {@link BookParseException} naming {@code
     * list[index].field} (e.g. {@code bids[3].price}; {@code list} alone when {@code index} is
     * negative) when it is not an exact non-negative decimal. The name is only built for an error,
     * not for every value read.
     */
    public void read(JsonParser p, String exchange, String list, int index, String field)
            throws IOException, BookParseException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_STRING
                && t != JsonToken.VALUE_NUMBER_INT
                && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw StrictJson.malformed(
                    exchange,
                    where(list, index, field) + " is not a decimal: " + StrictJson.describe(p));
        }
        char[] text = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        long v = 0;
        int digits = 0;
        int dot = -1;
        for (int i = 0; i < len; i++) {
            char c = text[off + i];
            if (c >= '0' && c <= '9') {
                if (v > (Long.MAX_VALUE - 9) / 10) {
                    throw StrictJson.malformed(
                            exchange,
                            where(list, index, field)
                                    + " does not fit a scaled long: "
                                    + StrictJson.describe(p));
                }
                v = v * 10 + (c - '0');
                digits++;
            } else if (c == '.' && dot < 0) {
                dot = i;
            } else {
                throw StrictJson.malformed(
                        exchange,
                        where(list, index, field)
                                + " is not a plain decimal: "
                                + StrictJson.describe(p));
            }
        }
        if (digits == 0) {
            throw StrictJson.malformed(
                    exchange,
                    where(list, index, field)
                            + " is not a plain decimal: "
                            + StrictJson.describe(p));
        }
        int s = dot < 0 ? 0 : len - dot - 1;
        if (s > Decimals.MAX_SCALE) {
            throw StrictJson.malformed(
                    exchange,
                    where(list, index, field)
                            + " has "
                            + s
                            + " fraction digits, more than "
                            + Decimals.MAX_SCALE
                            + ": "
                            + StrictJson.describe(p));
        }
        unscaled = v;
        scale = s;
    }

    /** {@code list[index].field}, or {@code list} alone when there is no index. */
    public static String where(String list, int index, String field) {
        return index < 0 ? list : list + "[" + index + "]." + field;
    }
}
