package io.depthflow.sources.ws;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class BookEventSerializerTest {

    private final BookEventSerializer serializer = BookEventSerializer.INSTANCE;

    private BookEvent roundTrip(BookEvent e) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(e, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        BookEvent back = serializer.deserialize(in);
        assertThat(in.available()).as("every byte read").isZero();
        return back;
    }

    @Test
    void shouldRoundTripEveryKindExactly() throws Exception {
        BookEvent update =
                new BookEvent()
                        .reset("kraken", "BTC/USD", 1_795_175_130_123L, BookEvent.Kind.UPDATE);
        update.checked = true;
        // Extremes of the scaled longs and their scales: nothing may be rounded or lost.
        update.addLevel(true, Long.MAX_VALUE, 18, 1, 0);
        update.addLevel(false, 1, 0, Long.MAX_VALUE, 18);
        update.addLevel(true, 9_012_345_678_901_234L, 10, 0, 8); // size 0: remove
        update.addLevel(false, 123_456, 1, 50_000_000, 8);
        BookEvent back = roundTrip(update);
        assertThat(back).isEqualTo(update);
        assertThat(back.checked).isTrue();
        assertThat(back.payload).isNull();
        assertThat(BigDecimal.valueOf(back.price(2), back.priceScale(2)))
                .isEqualByComparingTo("901234.5678901234");
        assertThat(BigDecimal.valueOf(back.size(3), back.sizeScale(3))).isEqualByComparingTo("0.5");
        assertThat(back.isBid(0)).isTrue();
        assertThat(back.isBid(1)).isFalse();

        BookEvent snapshot =
                new BookEvent().reset("coinbase", "ETH/USD", 5L, BookEvent.Kind.SNAPSHOT);
        for (int i = 0; i < 1_000; i++) {
            snapshot.addLevel(i % 2 == 0, 300_000 + i, 2, 1_000 + i, 8);
        }
        assertThat(roundTrip(snapshot)).isEqualTo(snapshot);
        assertThat(roundTrip(snapshot).levelCount()).isEqualTo(1_000);

        BookEvent ack = new BookEvent().reset("kraken", "BTC/USD", 6L, BookEvent.Kind.SUBSCRIBED);
        ack.depth = 100;
        assertThat(roundTrip(ack).depth).isEqualTo(100);

        BookEvent reset = new BookEvent().reset("kraken", "BTC/USD", 7L, BookEvent.Kind.RESET);
        reset.reason = "checksum_mismatch";
        reset.detail = "checksum 1 in the message, 2 computed";
        BookEvent resetBack = roundTrip(reset);
        assertThat(resetBack).isEqualTo(reset);
        assertThat(resetBack.reason).isEqualTo("checksum_mismatch");
        assertThat(resetBack.detail).isEqualTo(reset.detail);

        BookEvent noop = new BookEvent().reset("gemini", "BTC/USD", 8L, BookEvent.Kind.NOOP);
        noop.payload = "{\"type\":\"l2_updates\",\"é\":\"€ ☃\"}";
        assertThat(roundTrip(noop).payload).isEqualTo(noop.payload);
    }

    @Test
    void shouldReuseNothingBetweenRecordsAndCopyDeeply() throws Exception {
        BookEvent e = new BookEvent().reset("kraken", "BTC/USD", 1L, BookEvent.Kind.UPDATE);
        e.addLevel(true, 100, 1, 2, 0);
        BookEvent copy = serializer.copy(e);
        e.reset("kraken", "ETH/USD", 2L, BookEvent.Kind.SNAPSHOT);
        e.addLevel(false, 7, 0, 7, 0);
        assertThat(copy.market).isEqualTo("BTC/USD");
        assertThat(copy.price(0)).isEqualTo(100);
        assertThat(copy.isBid(0)).isTrue();
        assertThat(copy).isNotEqualTo(e);

        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(copy, out);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    @Test
    void shouldBeFlinksTypeForBookEventsNotKryoNorAPojo() throws Exception {
        TypeInformation<BookEvent> info = TypeInformation.of(BookEvent.class);
        assertThat(info).isInstanceOf(BookEventTypeInfo.class);
        assertThat(info.createSerializer(new SerializerConfigImpl()))
                .isSameAs(BookEventSerializer.INSTANCE);

        TypeSerializerSnapshot<BookEvent> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<BookEvent> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<BookEvent> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
        assertThat(restored.restoreSerializer()).isEqualTo(serializer);
    }
}
