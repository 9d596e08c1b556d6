package io.depthflow.clickhouse.internal;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.RawMessage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowBindersTest {

    @Test
    void shouldKeepDecimalsWithUpTo18FractionDigitsExactly() {
        BigDecimal widest = new BigDecimal("12345678901234567890.123456789012345678");

        assertThat(RowBinders.decimal("c", widest)).isSameAs(widest);
        assertThat(RowBinders.decimal("c", new BigDecimal("1E+3")).toPlainString())
                .isEqualTo("1000");
    }

    @Test
    void shouldRoundDerivedDecimalsHalfEvenAtThe18thFractionDigit() {
        assertThat(RowBinders.decimal("c", new BigDecimal("0.0000000000000000015")))
                .isEqualTo(new BigDecimal("0.000000000000000002"));
        assertThat(RowBinders.decimal("c", new BigDecimal("0.0000000000000000025")))
                .isEqualTo(new BigDecimal("0.000000000000000002"));
    }

    @Test
    void shouldRejectDecimalsThatDoNotFitOrAreMissing() {
        assertThatThrownBy(
                        () ->
                                RowBinders.decimal(
                                        "mid_price_1m.mid",
                                        new BigDecimal("123456789012345678901")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "mid_price_1m.mid = 123456789012345678901 does not fit Decimal(38, 18)");
        assertThatThrownBy(() -> RowBinders.decimal("mid_price_1m.best_bid", null))
                .hasMessage("mid_price_1m.best_bid is null");
    }

    @Test
    void shouldTurnScaledLongsIntoExactDecimals() {
        assertThat(RowBinders.decimals("p", new long[] {624758, 1, Long.MAX_VALUE}, 2))
                .containsExactly(
                        new BigDecimal("6247.58"),
                        new BigDecimal("0.01"),
                        new BigDecimal("92233720368547758.07"));
        assertThat(RowBinders.decimals("q", new long[] {1}, 18))
                .containsExactly(new BigDecimal("1E-18"));
        assertThatThrownBy(() -> RowBinders.decimals("q", new long[] {1}, 19))
                .hasMessage("q: scale 19 is not within 0..18");
    }

    @Test
    void shouldRejectRawMessagesWithoutAResponseAndNullKeys() throws Exception {
        try (Connection c = ClickHouseTestServer.connection();
                PreparedStatement ps = c.prepareStatement(RowBinders.RAW_ORDER_BOOKS)) {
            RawMessage timeout =
                    RawMessage.restFailure(
                            "kraken", "BTC/USD", 1_700_000_000_000L, "connect timed out");

            assertThatThrownBy(() -> RowBinders.rawOrderBook(ps, timeout))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("filter with RawMessage::hasResponse");
        }
        try (Connection c = ClickHouseTestServer.connection();
                PreparedStatement ps = c.prepareStatement(RowBinders.MID_PRICE_1M)) {
            MidPrice noMarket =
                    new MidPrice(
                            0L,
                            null,
                            "all",
                            BigDecimal.ONE,
                            1,
                            BigDecimal.ONE,
                            BigDecimal.ONE,
                            0.0);

            assertThatThrownBy(() -> RowBinders.midPrice(ps, noMarket))
                    .hasMessage("mid_price_1m.market is null");
        }
    }
}
