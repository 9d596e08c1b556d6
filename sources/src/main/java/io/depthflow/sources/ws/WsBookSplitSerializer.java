package io.depthflow.sources.ws;

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
 * Serializes {@link WsBookSplit}s into checkpoints. Version 1: exchange, url (modified UTF-8), the
 * number of markets and each market, subscription depth (int), stale-after, ping interval, initial
 * and maximum backoff (longs, ms), stop time (long). A new layout gets a new version; old ones stay
 * readable.
 */
@Internal
public final class WsBookSplitSerializer implements SimpleVersionedSerializer<WsBookSplit> {

    public static final int CURRENT_VERSION = 1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(WsBookSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            FeedSettings s = split.settings();
            out.writeUTF(s.exchange());
            out.writeUTF(s.url());
            out.writeInt(s.markets().size());
            for (String m : s.markets()) {
                out.writeUTF(m);
            }
            out.writeInt(s.depth());
            out.writeLong(s.staleAfterMs());
            out.writeLong(s.pingIntervalMs());
            out.writeLong(s.initialBackoffMs());
            out.writeLong(s.maxBackoffMs());
            out.writeLong(split.stopAt());
        }
        return bytes.toByteArray();
    }

    @Override
    public WsBookSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown WsBookSplit serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            String exchange = in.readUTF();
            String url = in.readUTF();
            int n = in.readInt();
            List<String> markets = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                markets.add(in.readUTF());
            }
            FeedSettings settings =
                    new FeedSettings(
                            exchange,
                            url,
                            markets,
                            in.readInt(),
                            in.readLong(),
                            in.readLong(),
                            in.readLong(),
                            in.readLong());
            return new WsBookSplit(settings, in.readLong());
        }
    }
}
