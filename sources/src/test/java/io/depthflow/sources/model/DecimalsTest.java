package io.depthflow.sources.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecimalsTest {

    @Test
    void shouldReadScaleAsNumberOfFractionDigits() {
        assertThat(Decimals.scaleOf("6247.58")).isEqualTo(2);
        assertThat(Decimals.scaleOf("0.00100000")).isEqualTo(8);
        assertThat(Decimals.scaleOf("2")).isZero();
        assertThat(Decimals.scaleOf("5.")).isZero();
        assertThat(Decimals.scaleOf(".5")).isEqualTo(1);
    }

    @Test
    void shouldParseExactlyAtTheRequestedScale() {
        assertThat(Decimals.parseScaled("6247.58", 2)).isEqualTo(624758L);
        assertThat(Decimals.parseScaled("2", 7)).isEqualTo(20000000L);
        assertThat(Decimals.parseScaled("30384.10000", 5)).isEqualTo(3038410000L);
        assertThat(Decimals.parseScaled("0.00000001", 8)).isEqualTo(1L);
        assertThat(Decimals.parseScaled("000.000", 3)).isZero();
        assertThat(Decimals.parseScaled("9223372036854775807", 0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldKeepDigitsThatADoubleWouldRound() {
        // 0.1 + 0.2 != 0.3 in binary floating point; scaled longs add exactly.
        long sum = Decimals.parseScaled("0.1", 1) + Decimals.parseScaled("0.2", 1);
        assertThat(Decimals.toBigDecimal(sum, 1)).isEqualByComparingTo("0.3");
        assertThat(Decimals.toBigDecimal(Decimals.parseScaled("90000.123456789012", 12), 12))
                .isEqualTo(new BigDecimal("90000.123456789012"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-1",
                "+1",
                "1e5",
                "1E-3",
                "NaN",
                "Infinity",
                " 1",
                "1 ",
                "1,000",
                "1.2.3",
                ".",
                "0x10",
                "١"
            })
    void shouldRejectAnythingButAPlainNonNegativeDecimal(String text) {
        assertThatThrownBy(() -> Decimals.scaleOf(text)).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void shouldRejectNull() {
        assertThatThrownBy(() -> Decimals.scaleOf(null))
                .isInstanceOf(NumberFormatException.class)
                .hasMessage("empty decimal");
    }

    @Test
    void shouldRejectMoreFractionDigitsThanTheScale() {
        assertThatThrownBy(() -> Decimals.parseScaled("1.234", 2))
                .isInstanceOf(NumberFormatException.class)
                .hasMessage("'1.234' has 3 fraction digits, more than scale 2");
    }

    @Test
    void shouldRejectScalesAboveTheMaximum() {
        assertThatThrownBy(() -> Decimals.parseScaled("1", 19))
                .isInstanceOf(NumberFormatException.class)
                .hasMessage("scale 19 exceeds 18");
    }

    @Test
    void shouldRejectOverflowInsteadOfWrappingAround() {
        assertThatThrownBy(() -> Decimals.parseScaled("9223372036854775808", 0))
                .isInstanceOf(NumberFormatException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> Decimals.parseScaled("92233720368.54775808", 8))
                .isInstanceOf(NumberFormatException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> Decimals.parseScaled("10", 18))
                .isInstanceOf(NumberFormatException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void shouldAbbreviateLongInputInMessages() {
        String longText = "x".repeat(100);
        assertThatThrownBy(() -> Decimals.scaleOf(longText))
                .hasMessage("'" + "x".repeat(40) + "...' is not a plain decimal");
    }

    @Test
    void shouldExposePowersOfTen() {
        assertThat(Decimals.pow10(0)).isEqualTo(1L);
        assertThat(Decimals.pow10(18)).isEqualTo(1_000_000_000_000_000_000L);
    }
}
