package io.depthflow.job.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.depthflow.job.book.BookSync;
import io.depthflow.job.book.StreamBookState;
import io.depthflow.job.stream.BookMessageHandler;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamScript;

import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.util.List;

class StreamBookStateSerializerTest {

    private final StreamBookStateSerializer serializer = new StreamBookStateSerializer();

    /** A book built from a real session, mid-window. */
    private static StreamBookState liveState(int krakenDepth) {
        List<RawMessage> script = StreamScript.builder().exchanges(List.of("kraken")).depth("kraken", krakenDepth).updates(120).build().messages();
        StreamBookState s = new StreamBookState("kraken", "BTC/USD", BookSync.forExchange("kraken"), 7L, script.get(0).receivedAt);
        BookMessageHandler handler = new BookMessageHandler();
        for (RawMessage m : script) {
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
        double perLevel = (double) (bytes(deep).length - bytes(shallow).length) / (levelsDeep - levelsShallow);
        assertThat(perLevel).isEqualTo(16.0);
        assertThat(bytes(shallow).length - 16 * levelsShallow).isLessThan(160);
    }

    @Test
    void shouldRestoreFromItsSnapshotAsIs() {
        TypeSerializerSnapshot<StreamBookState> snapshot = serializer.snapshotConfiguration();
        TypeSerializerSchemaCompatibility<StreamBookState> compat =
                new StreamBookStateSerializer().snapshotConfiguration().resolveSchemaCompatibility(snapshot);
        assertThat(compat.isCompatibleAsIs()).isTrue();
        assertThat(snapshot.restoreSerializer()).isEqualTo(serializer);
    }
}
