package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serializes {@link RestBookEnumState}. Version 1: the number of unassigned splits, then for each
 * the split serializer's version, the length and the bytes of {@link RestBookSplitSerializer}, so
 * that splits keep their own versioning inside the enumerator state.
 */
@Internal
public final class RestBookEnumStateSerializer
        implements SimpleVersionedSerializer<RestBookEnumState> {

    public static final int CURRENT_VERSION = 1;

    private final RestBookSplitSerializer splitSerializer = new RestBookSplitSerializer();

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(RestBookEnumState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.unassigned().size());
            for (RestBookSplit split : state.unassigned()) {
                byte[] serialized = splitSerializer.serialize(split);
                out.writeInt(splitSerializer.getVersion());
                out.writeInt(serialized.length);
                out.write(serialized);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public RestBookEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown RestBookEnumState serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int count = in.readInt();
            List<RestBookSplit> splits = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int splitVersion = in.readInt();
                byte[] split = new byte[in.readInt()];
                in.readFully(split);
                splits.add(splitSerializer.deserialize(splitVersion, split));
            }
            return new RestBookEnumState(splits);
        }
    }
}
