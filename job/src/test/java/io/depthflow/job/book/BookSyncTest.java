package io.depthflow.job.book;

import io.depthflow.job.book.BookSync.Outcome;
import io.depthflow.job.book.BookSync.Status;
import io.depthflow.sources.testing.Fixtures;
import io.depthflow.sources.venue.kraken.KrakenChecksum;
import io.depthflow.sources.venue.kraken.KrakenWsParser;
import io.depthflow.sources.ws.StreamMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BookSyncTest {

    private final KrakenWsParser kraken = new KrakenWsParser();
    private final KrakenChecksum crc = new KrakenChecksum();

    private StreamMessage kraken(String json) throws Exception {
        StreamMessage m = new StreamMessage();
        kraken.parse(json, m);
        return m;
    }

    private static String update(String bids, String asks, long checksum) {
        return "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"MATIC/USD\",\"bids\":["
                + bids
                + "],\"asks\":["
                + asks
                + "],\"checksum\":"
                + checksum
                + "}]}";
    }

    @Test
    void shouldSyncOnAVerifiedSnapshotAndApplyVerifiedUpdates() throws Exception {
        BookSync sync = BookSync.forExchange("kraken");
        assertThat(sync.status()).isEqualTo(Status.NO_SNAPSHOT);
        assertThat(sync.apply(kraken(Fixtures.docsExample("kraken-ws-v2-book-update.json")), crc))
                .isEqualTo(Outcome.IGNORED);

        assertThat(sync.apply(kraken(Fixtures.docsExample("kraken-ws-v2-book-snapshot.json")), crc))
                .isEqualTo(Outcome.SNAPSHOT);
        assertThat(sync.isSynced()).isTrue();
        // no ack seen: the depth is the smallest allowed one that holds the snapshot
        assertThat(sync.book().maxDepth()).isEqualTo(10);
        assertThat(sync.apply(kraken(Fixtures.docsExample("kraken-ws-v2-book-update.json")), crc))
                .isEqualTo(Outcome.UPDATE);
        assertThat(sync.book().bidSize(9)).isEqualTo(109_839_475_580L);
    }

    @Test
    void shouldDropTheBookOnAChecksumMismatchAndIgnoreUpdatesUntilTheNextSnapshot()
            throws Exception {
        BookSync sync = BookSync.forExchange("kraken");
        sync.apply(kraken(Fixtures.docsExample("kraken-ws-v2-book-snapshot.json")), crc);
        StreamMessage wrong =
                kraken(
                        Fixtures.docsExample("kraken-ws-v2-book-update.json")
                                .replace("2114181697", "2114181698"));
        assertThat(sync.apply(wrong, crc)).isEqualTo(Outcome.CHECKSUM_FAILED);
        assertThat(sync.status()).isEqualTo(Status.CHECKSUM);
        assertThat(sync.failure())
                .contains("checksum 2114181698 in the message, 2114181697 computed");
        assertThat(sync.book().levelCount()).isZero();
        assertThat(sync.apply(kraken(Fixtures.docsExample("kraken-ws-v2-book-update.json")), crc))
                .isEqualTo(Outcome.IGNORED);
        assertThat(sync.apply(kraken(Fixtures.docsExample("kraken-ws-v2-book-snapshot.json")), crc))
                .isEqualTo(Outcome.SNAPSHOT);
        assertThat(sync.isSynced()).isTrue();
    }

    @Test
    void shouldTruncateToTheAckedDepthAfterEveryMessage() throws Exception {
        BookSync sync = BookSync.forExchange("kraken");
        sync.onSubscribed(10);
        sync.apply(kraken(Fixtures.docsExample("kraken-ws-v2-book-snapshot.json")), crc);
        // a better bid pushes the 10th bid (0.5657) out: Kraken sends no qty 0 for it
        L2Book expected = sync.book().copy();
        expected.set(true, 5667, 4, 100_000_000, 8);
        expected.truncate();
        long checksum = new KrakenChecksum().compute(expected);
        assertThat(
                        sync.apply(
                                kraken(
                                        update(
                                                "{\"price\":0.5667,\"qty\":1.00000000}",
                                                "",
                                                checksum)),
                                crc))
                .isEqualTo(Outcome.UPDATE);
        assertThat(sync.book().bidCount()).isEqualTo(10);
        assertThat(sync.book().bidPrice(9)).isEqualTo(5658);
        assertThat(sync.book()).isEqualTo(expected);
    }

    @Test
    void shouldKeepTheFirstFailureReasonAndNeverTruncateCoinbaseBooks() {
        BookSync sync = BookSync.forExchange("coinbase");
        assertThat(sync.depth()).isEqualTo(BookSync.DEPTH_UNLIMITED);
        sync.invalidate(Status.GAP);
        assertThat(sync.status()).isEqualTo(Status.NO_SNAPSHOT);
        sync.onSubscribed(10);
        assertThat(sync.book().maxDepth()).isZero();
    }

    @Test
    void shouldRejectALevelThatOverflowsAtTheBooksScaleRatherThanApplyAWrappedPrice() {
        BookSync sync = BookSync.forExchange("coinbase");
        StreamMessage snapshot = new StreamMessage();
        snapshot.reset();
        snapshot.type = StreamMessage.Type.BOOK_SNAPSHOT;
        snapshot.addLevel(true, 9_000_000_000L, 10, 1, 0); // 0.9 at price scale 10
        snapshot.addLevel(false, 9_100_000_000L, 10, 1, 0);
        assertThat(sync.apply(snapshot, crc)).isEqualTo(Outcome.SNAPSHOT);
        StreamMessage update = new StreamMessage();
        update.reset();
        update.type = StreamMessage.Type.BOOK_UPDATE;
        update.addLevel(false, 2_000_000_000L, 0, 1, 0); // 2e9 at scale 10 does not fit a long
        assertThat(sync.apply(update, crc)).isEqualTo(Outcome.REJECTED);
        assertThat(sync.status()).isEqualTo(Status.INVALID);
        assertThat(sync.book().levelCount()).isZero();
    }
}
