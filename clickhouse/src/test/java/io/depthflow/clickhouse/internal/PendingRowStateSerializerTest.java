package io.depthflow.clickhouse.internal;

import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.MidPrice;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PendingRowStateSerializerTest {

    @Test
    void shouldRoundTripRowsWithExactDecimalsAndTheirBufferTimes() throws IOException {
        MidPrice a = mid("0.000000000000000001", 3); // 1E-18: no binary floating point on the way
        MidPrice b = mid("65000.123456789012345678", 4);
        PendingRowStateSerializer<MidPrice> serializer =
                new PendingRowStateSerializer<>(MidPrice.class);
        BufferedRequestState<PendingRow<MidPrice>> state =
                new BufferedRequestState<>(
                        List.of(
                                new RequestEntryWrapper<>(new PendingRow<>(a, 1_000L), 256),
                                new RequestEntryWrapper<>(new PendingRow<>(b, 2_000L), 256)));

        BufferedRequestState<PendingRow<MidPrice>> back =
                serializer.deserialize(
                        PendingRowStateSerializer.CURRENT_VERSION, serializer.serialize(state));

        assertThat(back.getBufferedRequestEntries())
                .extracting(RequestEntryWrapper::getRequestEntry)
                .containsExactly(new PendingRow<>(a, 1_000L), new PendingRow<>(b, 2_000L));
        assertThat(back.getBufferedRequestEntries().get(1).getRequestEntry().row().mid)
                .isEqualByComparingTo("65000.123456789012345678")
                .hasScaleOf(18);
        assertThat(back.getStateSize()).isEqualTo(512);
    }

    @Test
    void shouldRoundTripArraysOfSlices() throws IOException {
        BookSlice s = new BookSlice();
        s.exchange = "kraken";
        s.market = "BTC/USD";
        s.side = "bid";
        s.prices = new long[] {6_500_012L, 6_500_000L};
        s.sizes = new long[] {1L, 250_000_000L};
        s.priceScale = 2;
        s.sizeScale = 8;
        s.cumulativeNotional = new BigDecimal("100000.00");
        s.vwap = new BigDecimal("65000.06");
        PendingRowStateSerializer<BookSlice> serializer =
                new PendingRowStateSerializer<>(BookSlice.class);

        BufferedRequestState<PendingRow<BookSlice>> back =
                serializer.deserialize(
                        3,
                        serializer.serialize(
                                new BufferedRequestState<>(
                                        List.of(
                                                new RequestEntryWrapper<>(
                                                        new PendingRow<>(s, 7L), 300)))));

        assertThat(back.getBufferedRequestEntries().get(0).getRequestEntry().row()).isEqualTo(s);
    }

    @Test
    void shouldIgnoreFieldsThisReleaseDoesNotKnowAndDefaultFieldsTheStateLacks()
            throws IOException {
        // a row written by a later release (one more field) and by an earlier one (no good_ms)
        byte[] later =
                "{\"windowStart\":60000,\"market\":\"BTC/USD\",\"exchange\":\"kraken\",\"mid\":1.5,\"samples\":2,\"goodMs\":7,\"expectedSamples\":4}"
                        .getBytes(StandardCharsets.UTF_8);
        byte[] earlier =
                "{\"windowStart\":60000,\"market\":\"BTC/USD\",\"exchange\":\"kraken\",\"mid\":1.5}"
                        .getBytes(StandardCharsets.UTF_8);
        PendingRowStateSerializer<MidPrice> serializer =
                new PendingRowStateSerializer<>(MidPrice.class);

        List<RequestEntryWrapper<PendingRow<MidPrice>>> rows =
                serializer.deserialize(3, state(later, earlier)).getBufferedRequestEntries();

        assertThat(rows.get(0).getRequestEntry().row().goodMs).isEqualTo(7);
        assertThat(rows.get(0).getRequestEntry().row().mid).isEqualByComparingTo("1.5");
        assertThat(rows.get(1).getRequestEntry().row().goodMs).isZero();
        assertThat(rows.get(1).getRequestEntry().row().samples).isZero();
    }

    @Test
    void shouldRestoreTheJdbcSinkStateOfEarlierReleasesAsAnEmptyBuffer() throws IOException {
        // JdbcWriterStateSerializer v2 at least once: no hanging and no prepared transactions
        byte[] jdbcState = {0, 0, 0, 0, 0, 0, 0, 0};
        PendingRowStateSerializer<MidPrice> serializer =
                new PendingRowStateSerializer<>(MidPrice.class);

        assertThat(serializer.deserialize(2, jdbcState).getBufferedRequestEntries()).isEmpty();
        assertThat(serializer.deserialize(1, jdbcState).getBufferedRequestEntries()).isEmpty();
        assertThatThrownBy(() -> serializer.deserialize(4, jdbcState))
                .hasMessageContaining("newer");
    }

    /** A version-3 state of raw JSON rows, framed as AsyncSinkWriterStateSerializer frames it. */
    private static byte[] state(byte[]... rows) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeLong(-1);
        out.writeInt(rows.length);
        for (byte[] json : rows) {
            out.writeLong(256);
            out.writeByte(PendingRowStateSerializer.ROW_FORMAT_JSON);
            out.writeLong(5L);
            out.writeInt(json.length);
            out.write(json);
        }
        return bytes.toByteArray();
    }

    private static MidPrice mid(String mid, int samples) {
        MidPrice m = new MidPrice();
        m.windowStart = 1_700_000_040_000L;
        m.market = "BTC/USD";
        m.exchange = "coinbase";
        m.mid = new BigDecimal(mid);
        m.samples = samples;
        m.bestBid = new BigDecimal(mid);
        m.bestAsk = new BigDecimal(mid);
        m.spreadBps = 0.5;
        m.bookStatus = "ok";
        m.goodMs = 60_000;
        return m;
    }
}
