package io.depthflow.sources.venue.bitfinex;

import io.depthflow.sources.venue.RecordedFeed;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class JsNumbersTest {

    private final JsNumbers n = new JsNumbers();

    @Test
    void shouldReadJavaScriptNumbersExactly() {
        assertThat(n.read("9.1e-7")).isNull();
        assertThat(n.negative()).isFalse();
        assertThat(n.unscaled()).isEqualTo(91);
        assertThat(n.scale()).isEqualTo(8);

        assertThat(n.read("-481.8549041")).isNull();
        assertThat(n.negative()).isTrue();
        assertThat(n.unscaled()).isEqualTo(4818549041L);
        assertThat(n.scale()).isEqualTo(7);

        assertThat(n.read("19203.444049780002")).isNull();
        assertThat(n.unscaled()).isEqualTo(19203444049780002L);
        assertThat(n.scale()).isEqualTo(12);

        // A positive exponent scales up; trailing fraction zeros are not kept.
        assertThat(n.read("1.5e+3")).isNull();
        assertThat(n.unscaled()).isEqualTo(1500);
        assertThat(n.scale()).isZero();
        assertThat(n.read("2.50")).isNull();
        assertThat(n.unscaled()).isEqualTo(25);
        assertThat(n.scale()).isEqualTo(1);
    }

    @Test
    void shouldRejectWhatIsNotANumberOrDoesNotFit() {
        assertThat(n.read("abc")).isEqualTo("is not a number");
        assertThat(n.read("1e")).isEqualTo("is not a number");
        assertThat(n.read("1.2.3")).isEqualTo("is not a number");
        assertThat(n.read("1e-19")).isEqualTo("has 19 fraction digits, more than 18");
        assertThat(n.read("99999999999999999999")).isEqualTo("does not fit a scaled long");
        assertThat(n.read("1e999")).isEqualTo("has an exponent out of range");
    }

    @Test
    void shouldWriteNumbersAsJavaScriptDoes() {
        // ECMAScript Number::toString: plain from 1e-6 up, exponential below, no trailing zeros.
        assertThat(JsNumbers.js(false, 1, 6)).isEqualTo("0.000001");
        assertThat(JsNumbers.js(false, 91, 8)).isEqualTo("9.1e-7");
        assertThat(JsNumbers.js(false, 1, 7)).isEqualTo("1e-7");
        assertThat(JsNumbers.js(false, 25_000, 8)).isEqualTo("0.00025");
        assertThat(JsNumbers.js(false, 2500, 0)).isEqualTo("2500");
        assertThat(JsNumbers.js(false, 250_000, 2)).isEqualTo("2500");
        assertThat(JsNumbers.js(true, 1, 0)).isEqualTo("-1");
        assertThat(JsNumbers.js(true, 1_522_000, 5)).isEqualTo("-15.22");
        assertThat(JsNumbers.js(false, 0, 3)).isEqualTo("0");
    }

    /**
     * Every price and amount of the real recording, read and written back, is the text Bitfinex
     * sent: so a checksum built from exact values equals one built from the wire strings.
     */
    @Test
    void shouldGiveBackEveryNumberOfTheRealRecordingCharacterForCharacter() {
        Pattern number = Pattern.compile("-?\\d+(\\.\\d+)?(e[-+]?\\d+)?");
        int checked = 0;
        int exponential = 0;
        for (String payload : RecordedFeed.received("bitfinex/bitfinex-ws.txt")) {
            if (!payload.startsWith("[")) {
                continue;
            }
            Matcher m = number.matcher(payload);
            while (m.find()) {
                String text = m.group();
                if (n.read(text) != null) {
                    continue; // channel ids and timestamps too long for the scale limit are not
                    // prices
                }
                assertThat(JsNumbers.js(n.negative(), n.unscaled(), n.scale()))
                        .as(text)
                        .isEqualTo(text);
                checked++;
                if (text.contains("e")) {
                    exponential++;
                }
            }
        }
        assertThat(checked).isGreaterThan(5_000);
        assertThat(exponential).isEqualTo(12);
    }
}
