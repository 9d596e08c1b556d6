package io.depthflow.sources.ws;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Serializes {@link WsBookEnumState}. Version 1: the number of unassigned splits, then for each the
 * split serializer's version, length and bytes, so splits keep their own versioning. Version 2:
 * version 1's layout, then the number of assigned split ids and each id (UTF). Both are read.
 */
@Internal
public final class WsBookEnumStateSerializer implements SimpleVersionedSerializer<WsBookEnumState> {

    public static final int CURRENT_VERSION = 2;

    private final WsBookSplitSerializer splitSerializer = new WsBookSplitSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(WsBookEnumState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.unassigned().size());
            for (WsBookSplit split : state.unassigned()) {
                byte[] serialized = splitSerializer.serialize(split);
                out.writeInt(splitSerializer.getVersion());
                out.writeInt(serialized.length);
                out.write(serialized);
            }
            List<String> assigned =
                    state.assigned() == null
                            ? List.of()
                            : state.assigned().stream().sorted().toList();
            out.writeInt(assigned.size());
            for (String id : assigned) {
                out.writeUTF(id);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public WsBookEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != 2) {
            throw new IOException("unknown WsBookEnumState serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int count = in.readInt();
            List<WsBookSplit> splits = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int splitVersion = in.readInt();
                byte[] split = new byte[in.readInt()];
                in.readFully(split);
                splits.add(splitSerializer.deserialize(splitVersion, split));
            }
            if (version == 1) {
                return new WsBookEnumState(splits, null);
            }
            int assigned = in.readInt();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < assigned; i++) {
                ids.add(in.readUTF());
            }
            return new WsBookEnumState(splits, ids);
        }
    }
}
