package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Serializes {@link RestBookSplit}s into checkpoints. Version 1: exchange and market (modified
 * UTF-8), next poll time (long), polls done (int), stop time (long). A new layout gets a new
 * version and this class keeps reading the old ones.
 */
@Internal
public final class RestBookSplitSerializer implements SimpleVersionedSerializer<RestBookSplit> {

    public static final int CURRENT_VERSION = 1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(RestBookSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(split.exchange());
            out.writeUTF(split.market());
            out.writeLong(split.nextPollAt());
            out.writeInt(split.pollsDone());
            out.writeLong(split.stopAt());
        }
        return bytes.toByteArray();
    }

    @Override
    public RestBookSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown RestBookSplit serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return new RestBookSplit(
                    in.readUTF(), in.readUTF(), in.readLong(), in.readInt(), in.readLong());
        }
    }
}
