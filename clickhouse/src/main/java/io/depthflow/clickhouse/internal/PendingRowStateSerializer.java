package io.depthflow.clickhouse.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collections;

/**
 * The checkpointed buffer of a ClickHouse sink: {@code AsyncSinkWriterStateSerializer}'s framing
 * (identifier, count, per row its estimated size), and per row: a format byte, the time it entered
 * the buffer, and the model object as JSON.
 *
 * <p>JSON keeps the state independent of the model classes' binary layout: fields added later read
 * as their defaults, fields removed later are ignored, {@code BigDecimal}s are written and read
 * exactly (never through a double). Only the public fields of the model POJOs are written.
 *
 * <p>Versions ({@link #getVersion()}): 1 and 2 are the writer state of the Flink JDBC connector's
 * {@code JdbcSink}, which earlier releases ran under the same operator uids. At least once, that
 * sink flushed every row before each checkpoint completed, so its state never held a row (only XA
 * transaction ids, unused at least once): it restores as an empty buffer. {@value #CURRENT_VERSION}
 * is this format.
 */
@Internal
public final class PendingRowStateSerializer<T>
        extends AsyncSinkWriterStateSerializer<PendingRow<T>> {

    /** Version of the whole state; 1 and 2 were JdbcSink's. */
    public static final int CURRENT_VERSION = 3;

    /** Format of one row inside a version-3 state: JSON of the model object. */
    @VisibleForTesting static final byte ROW_FORMAT_JSON = 1;

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                    .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);

    private final Class<T> type;

    public PendingRowStateSerializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public BufferedRequestState<PendingRow<T>> deserialize(int version, byte[] serialized)
            throws IOException {
        if (version == 1 || version == 2) {
            return new BufferedRequestState<>(Collections.emptyList());
        }
        if (version != CURRENT_VERSION) {
            throw new IOException(
                    "ClickHouse sink state of version "
                            + version
                            + " is newer than this release ("
                            + CURRENT_VERSION
                            + ")");
        }
        return super.deserialize(version, serialized);
    }

    @Override
    protected void serializeRequestToStream(PendingRow<T> request, DataOutputStream out)
            throws IOException {
        byte[] json = JSON.writeValueAsBytes(request.row());
        out.writeByte(ROW_FORMAT_JSON);
        out.writeLong(request.bufferedAtMs());
        out.writeInt(json.length);
        out.write(json);
    }

    @Override
    protected PendingRow<T> deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        byte format = in.readByte();
        if (format != ROW_FORMAT_JSON) {
            throw new IOException("Unknown ClickHouse sink row format " + format);
        }
        long bufferedAt = in.readLong();
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        return new PendingRow<>(JSON.readValue(json, type), bufferedAt);
    }

    /** The model object as the state writes it; also the payload of a rejected row's error. */
    static String toJson(Object row) {
        try {
            return JSON.writeValueAsString(row);
        } catch (IOException e) {
            return String.valueOf(row);
        }
    }
}
