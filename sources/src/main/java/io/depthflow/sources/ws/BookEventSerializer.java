package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;

/**
 * The wire form of a {@link BookEvent} between operators (the {@code keyBy} to the book builder).
 * Hand-written, neither Kryo nor a POJO serializer: one flags byte (kind, checked, which optional
 * strings follow), the received time, the exchange and market names, the optional depth and
 * strings, then per level the side, the unscaled price and size as {@code long}s and their scales
 * as bytes: exact, no decimal text and no floating point.
 *
 * <p>Records in flight are not kept in savepoints (only keyed and operator state are), so the
 * format may change between releases; the snapshot exists because Flink asks every serializer for
 * one.
 */
@PublicEvolving
public final class BookEventSerializer extends TypeSerializer<BookEvent> {

    private static final long serialVersionUID = 1L;

    public static final BookEventSerializer INSTANCE = new BookEventSerializer();

    private static final int KIND_MASK = 0x07;
    private static final int CHECKED = 0x08;
    private static final int HAS_REASON = 0x10;
    private static final int HAS_DETAIL = 0x20;
    private static final int HAS_PAYLOAD = 0x40;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<BookEvent> duplicate() {
        return this;
    }

    @Override
    public BookEvent createInstance() {
        return new BookEvent();
    }

    @Override
    public BookEvent copy(BookEvent from) {
        return from.copy();
    }

    @Override
    public BookEvent copy(BookEvent from, BookEvent reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(BookEvent e, DataOutputView out) throws IOException {
        int flags = e.kind.ordinal();
        if (e.checked) {
            flags |= CHECKED;
        }
        if (e.reason != null) {
            flags |= HAS_REASON;
        }
        if (e.detail != null) {
            flags |= HAS_DETAIL;
        }
        if (e.payload != null) {
            flags |= HAS_PAYLOAD;
        }
        out.writeByte(flags);
        out.writeLong(e.receivedAt);
        StringValue.writeString(e.exchange, out);
        StringValue.writeString(e.market, out);
        if (e.kind == BookEvent.Kind.SUBSCRIBED) {
            out.writeInt(e.depth);
        }
        if (e.reason != null) {
            StringValue.writeString(e.reason, out);
        }
        if (e.detail != null) {
            StringValue.writeString(e.detail, out);
        }
        if (e.payload != null) {
            StringValue.writeString(e.payload, out);
        }
        int n = e.levelCount();
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeBoolean(e.isBid(i));
            out.writeLong(e.price(i));
            out.writeByte(e.priceScale(i));
            out.writeLong(e.size(i));
            out.writeByte(e.sizeScale(i));
        }
    }

    @Override
    public BookEvent deserialize(DataInputView in) throws IOException {
        int flags = in.readUnsignedByte();
        long receivedAt = in.readLong();
        String exchange = StringValue.readString(in);
        String market = StringValue.readString(in);
        BookEvent.Kind kind = BookEvent.Kind.ofCode(flags & KIND_MASK);
        int depth = kind == BookEvent.Kind.SUBSCRIBED ? in.readInt() : 0;
        String reason = (flags & HAS_REASON) != 0 ? StringValue.readString(in) : null;
        String detail = (flags & HAS_DETAIL) != 0 ? StringValue.readString(in) : null;
        String payload = (flags & HAS_PAYLOAD) != 0 ? StringValue.readString(in) : null;
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative level count " + n);
        }
        BookEvent e = new BookEvent(n);
        e.reset(exchange, market, receivedAt, kind);
        e.depth = depth;
        e.checked = (flags & CHECKED) != 0;
        e.reason = reason;
        e.detail = detail;
        e.payload = payload;
        for (int i = 0; i < n; i++) {
            boolean bid = in.readBoolean();
            long price = in.readLong();
            int priceScale = in.readByte();
            long size = in.readLong();
            int sizeScale = in.readByte();
            e.addLevel(bid, price, priceScale, size, sizeScale);
        }
        return e;
    }

    @Override
    public BookEvent deserialize(BookEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof BookEventSerializer;
    }

    @Override
    public int hashCode() {
        return BookEventSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<BookEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: it has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<BookEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
