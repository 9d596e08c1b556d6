package io.depthflow.job.functions;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.depthflow.job.book.BookSync;
import io.depthflow.job.book.Int128;
import io.depthflow.job.book.L2Book;
import io.depthflow.job.book.StreamBookState;

import java.io.IOException;

/**
 * The explicit, versioned state format of the stream {@code book-builder} ({@link
 * StreamBookState}): 16 bytes per book level (two longs, best first) plus about 100 bytes per book
 * and 36 per time-weighted depth band, no Kryo, no per-level objects.
 *
 * <p>Format version 2 (every record starts with its version byte):
 *
 * <pre>
 * byte 2 | UTF exchange | UTF market | long epoch
 * byte status code | int depth | byte priceScale | byte sizeScale
 * int bids | bids × (long price, long size) | int asks | asks × (long price, long size)
 * long windowStart | long lastTime | long bookTime | long integralHi | long integralLo
 * byte integralScale | long goodMs | int samples | UTF flag | long lastBid | long lastAsk
 * int bands (-1: none) | bands × int bps | long bandMs | byte bandScale
 * | bands × (long bidHi, long bidLo, long askHi, long askLo)
 * </pre>
 *
 * <p>Version 1 (before the time-weighted depth bands) is version 2 without the band fields; it
 * restores with no bands, so the book builder starts the integrals empty at the first event after
 * the restore: that window's time-weighted bands cover its usable time from there on.
 *
 * <p>Evolution: a new layout gets the next version byte, and this class keeps reading every older
 * one, so the snapshot is always compatible as is ({@link Snapshot}); restoring an old savepoint
 * needs no migration step. The class name of {@link Snapshot} is part of the savepoint: never move
 * or rename it.
 */
public final class StreamBookStateSerializer extends TypeSerializer<StreamBookState> {

    private static final long serialVersionUID = 1L;

    /** Current record format. */
    public static final byte FORMAT_VERSION = 2;

    /** The format before the time-weighted depth bands: still read. */
    public static final byte FORMAT_VERSION_1 = 1;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<StreamBookState> duplicate() {
        return this;
    }

    @Override
    public StreamBookState createInstance() {
        return new StreamBookState("", "", BookSync.forExchange(""), 0L, 0L);
    }

    @Override
    public StreamBookState copy(StreamBookState from) {
        return from.copy();
    }

    @Override
    public StreamBookState copy(StreamBookState from, StreamBookState reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(StreamBookState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeUTF(s.exchange());
        out.writeUTF(s.market());
        out.writeLong(s.epoch());
        BookSync sync = s.sync();
        L2Book book = sync.book();
        out.writeByte(sync.status().code());
        out.writeInt(sync.depth());
        out.writeByte(book.priceScale());
        out.writeByte(book.sizeScale());
        writeSide(book, true, out);
        writeSide(book, false, out);
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
        int[] bands = s.bandsBps();
        if (bands == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(bands.length);
        for (int b : bands) {
            out.writeInt(b);
        }
        out.writeLong(s.bandMs());
        out.writeByte(s.bandScale());
        Int128[] bid = s.bidBandIntegrals();
        Int128[] ask = s.askBandIntegrals();
        for (int k = 0; k < bands.length; k++) {
            out.writeLong(bid[k].hi());
            out.writeLong(bid[k].lo());
            out.writeLong(ask[k].hi());
            out.writeLong(ask[k].lo());
        }
    }

    private static void writeSide(L2Book book, boolean bid, DataOutputView out) throws IOException {
        int n = book.count(bid);
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeLong(book.price(bid, i));
            out.writeLong(book.size(bid, i));
        }
    }

    @Override
    public StreamBookState deserialize(DataInputView in) throws IOException {
        byte version = in.readByte();
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_1) {
            throw new IOException("unknown StreamBookState format version " + version);
        }
        String exchange = in.readUTF();
        String market = in.readUTF();
        long epoch = in.readLong();
        BookSync.Status status = BookSync.Status.ofCode(in.readByte());
        int depth = in.readInt();
        int priceScale = in.readByte();
        int sizeScale = in.readByte();
        int nb = in.readInt();
        long[] bp = new long[nb];
        long[] bs = new long[nb];
        readSide(in, bp, bs);
        int na = in.readInt();
        long[] ap = new long[na];
        long[] as = new long[na];
        readSide(in, ap, as);
        L2Book book = new L2Book();
        book.load(priceScale, sizeScale, bp, bs, nb, ap, as, na);
        BookSync sync = BookSync.restored(exchange, book, status, depth);
        StreamBookState s =
                new StreamBookState(
                        exchange,
                        market,
                        sync,
                        epoch,
                        in.readLong(),
                        in.readLong(),
                        in.readLong(),
                        Int128.of(in.readLong(), in.readLong()),
                        in.readByte(),
                        in.readLong(),
                        in.readInt(),
                        in.readUTF(),
                        in.readLong(),
                        in.readLong());
        if (version == FORMAT_VERSION_1) {
            return s;
        }
        int n = in.readInt();
        if (n < 0) {
            return s;
        }
        int[] bands = new int[n];
        for (int k = 0; k < n; k++) {
            bands[k] = in.readInt();
        }
        long bandMs = in.readLong();
        int bandScale = in.readByte();
        Int128[] bid = new Int128[n];
        Int128[] ask = new Int128[n];
        for (int k = 0; k < n; k++) {
            bid[k] = Int128.of(in.readLong(), in.readLong());
            ask[k] = Int128.of(in.readLong(), in.readLong());
        }
        s.restoreBands(bands, bandMs, bandScale, bid, ask);
        return s;
    }

    private static void readSide(DataInputView in, long[] prices, long[] sizes) throws IOException {
        for (int i = 0; i < prices.length; i++) {
            prices[i] = in.readLong();
            sizes[i] = in.readLong();
        }
    }

    @Override
    public StreamBookState deserialize(StreamBookState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof StreamBookStateSerializer;
    }

    @Override
    public int hashCode() {
        return StreamBookStateSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<StreamBookState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: it has no configuration, and reads every format version. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<StreamBookState> {
        public Snapshot() {
            super(StreamBookStateSerializer::new);
        }
    }
}
