package io.depthflow.job.functions;

import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import io.depthflow.job.book.BookSync;
import io.depthflow.job.book.StreamBookState;
import io.depthflow.job.stream.BookMessageHandler;
import io.depthflow.job.stream.Decoded;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamScript;
import io.depthflow.sources.ws.BookEvent;
import org.junit.jupiter.api.Test;

import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamBookStateSerializerTest {

    private final StreamBookStateSerializer serializer = new StreamBookStateSerializer();

    /** A book built from a real session, mid-window. */
    private static StreamBookState liveState(int krakenDepth) {
        return liveState(krakenDepth, null);
    }

    /** As {@link #liveState(int)}, integrating the depth bands {@code bands} (null: none). */
    private static StreamBookState liveState(int krakenDepth, int[] bands) {
        List<RawMessage> script =
                StreamScript.builder()
                        .exchanges(List.of("kraken"))
                        .depth("kraken", krakenDepth)
                        .updates(120)
                        .build()
                        .messages();
        StreamBookState s =
                new StreamBookState(
                        "kraken",
                        "BTC/USD",
                        BookSync.forExchange("kraken"),
                        7L,
                        script.get(0).receivedAt);
        s.trackBands(bands);
        BookMessageHandler handler = new BookMessageHandler();
        for (BookEvent m : Decoded.events(script, new ArrayList<>())) {
            if ("BTC/USD".equals(m.market)) {
                s.integrateTo(Math.max(m.receivedAt, s.lastTime()));
                handler.handle(m, s.sync(), e -> {});
                s.noteChange(true);
            }
        }
        return s;
    }

    private byte[] bytes(StreamBookState s) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(s, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void shouldRoundTripEveryFieldOfALiveBook() throws Exception {
        StreamBookState s = liveState(100);
        assertThat(s.sync().isSynced()).isTrue();
        assertThat(s.goodMs()).isPositive();
        StreamBookState back = serializer.deserialize(new DataInputDeserializer(bytes(s)));
        assertThat(back).isEqualTo(s);
        assertThat(back.book().maxDepth()).isEqualTo(100);
        assertThat(serializer.copy(s)).isEqualTo(s).isNotSameAs(s);
    }

    @Test
    void shouldTakeSixteenBytesPerLevelPlusASmallHeader() throws Exception {
        StreamBookState deep = liveState(1000);
        StreamBookState shallow = liveState(10);
        int levelsDeep = deep.book().levelCount();
        int levelsShallow = shallow.book().levelCount();
        assertThat(levelsDeep).isEqualTo(2000);
        double perLevel =
                (double) (bytes(deep).length - bytes(shallow).length)
                        / (levelsDeep - levelsShallow);
        assertThat(perLevel).isEqualTo(16.0);
        assertThat(bytes(shallow).length - 16 * levelsShallow).isLessThan(160);
    }

    @Test
    void shouldRoundTripTheTimeWeightedBands() throws Exception {
        StreamBookState s = liveState(100, new int[] {25, 5, 100});
        assertThat(s.bandMs()).isPositive();
        assertThat(s.timeWeightedBands(true, MathContext.DECIMAL128)).allMatch(v -> v.signum() > 0);
        StreamBookState back = serializer.deserialize(new DataInputDeserializer(bytes(s)));
        assertThat(back).isEqualTo(s);
        assertThat(back.bandsBps()).containsExactly(25, 5, 100);
        assertThat(back.timeWeightedBands(false, MathContext.DECIMAL128))
                .isEqualTo(s.timeWeightedBands(false, MathContext.DECIMAL128));
        // 4 bytes per band, bandMs and bandScale, then four longs per band
        assertThat(bytes(s).length - bytes(liveState(100)).length)
                .isEqualTo(3 * 4 + 8 + 1 + 3 * 32);
    }

    /**
     * Format version 1, written field by field as the previous release did: it restores with every
     * field it has and no bands; named again, the bands start empty and cover the window's usable
     * time from there.
     */
    @Test
    void shouldRestoreTheFormatBeforeTheBandsWithEmptyIntegrals() throws Exception {
        StreamBookState s = liveState(100, new int[] {25});
        DataOutputSerializer out = new DataOutputSerializer(1024);
        out.writeByte(1);
        out.writeUTF(s.exchange());
        out.writeUTF(s.market());
        out.writeLong(s.epoch());
        out.writeByte(s.sync().status().code());
        out.writeInt(s.sync().depth());
        out.writeByte(s.book().priceScale());
        out.writeByte(s.book().sizeScale());
        for (boolean bid : new boolean[] {true, false}) {
            out.writeInt(s.book().count(bid));
            for (int i = 0; i < s.book().count(bid); i++) {
                out.writeLong(s.book().price(bid, i));
                out.writeLong(s.book().size(bid, i));
            }
        }
        out.writeLong(s.windowStart());
        out.writeLong(s.lastTime());
        out.writeLong(s.bookTime());
        out.writeLong(s.integral().hi());
        out.writeLong(s.integral().lo());
        out.writeByte(s.integralScale());
        out.writeLong(s.goodMs());
        out.writeInt(s.samples());
        out.writeUTF(s.flag());
        out.writeLong(s.lastBid());
        out.writeLong(s.lastAsk());

        StreamBookState old =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(old.bandsBps()).isNull();
        assertThat(old.timeWeightedBands(true, MathContext.DECIMAL128)).isNull();
        assertThat(old.book()).isEqualTo(s.book());
        assertThat(old.goodMs()).isEqualTo(s.goodMs());
        assertThat(old.timeWeightedMid(MathContext.DECIMAL128))
                .isEqualTo(s.timeWeightedMid(MathContext.DECIMAL128));
        assertThat(old.windowStart()).isEqualTo(s.windowStart());
        assertThat(old.flag()).isEqualTo(s.flag());

        old.trackBands(new int[] {25});
        assertThat(old.bandMs()).isZero();
        long t = old.lastTime() + 1_000;
        old.integrateTo(t);
        assertThat(old.bandMs()).isEqualTo(1_000);
        assertThat(old.goodMs()).isEqualTo(s.goodMs() + 1_000);
        // one book stood the whole second: its average is its band notional
        s.trackBands(new int[] {25});
        StreamBookState fresh = s.copy();
        fresh.rollWindowTo(StreamBookState.windowStart(s.windowEnd()));
        fresh.integrateTo(fresh.lastTime() + 1_000);
        assertThat(old.timeWeightedBands(true, MathContext.DECIMAL128))
                .isEqualTo(fresh.timeWeightedBands(true, MathContext.DECIMAL128));
    }

    @Test
    void shouldRestoreFromItsSnapshotAsIs() {
        TypeSerializerSnapshot<StreamBookState> snapshot = serializer.snapshotConfiguration();
        TypeSerializerSchemaCompatibility<StreamBookState> compat =
                new StreamBookStateSerializer()
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(snapshot);
        assertThat(compat.isCompatibleAsIs()).isTrue();
        assertThat(snapshot.restoreSerializer()).isEqualTo(serializer);
    }
}
