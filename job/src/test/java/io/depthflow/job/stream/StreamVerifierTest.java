package io.depthflow.job.stream;

import io.depthflow.job.book.BookSync;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamScript;
import io.depthflow.sources.testing.Fixtures;
import io.depthflow.sources.ws.ConnectionEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamVerifierTest {

    private static StreamVerifier verify(List<RawMessage> messages) {
        StreamVerifier v = new StreamVerifier();
        messages.forEach(v::accept);
        return v;
    }

    @Test
    void shouldFindNoFailureOnACleanSessionOfBothExchangesAtEveryKrakenDepth() {
        for (int depth : new int[] {10, 25, 100, 1000}) {
            StreamVerifier v =
                    verify(
                            StreamScript.builder()
                                    .seed(depth)
                                    .depth("kraken", depth)
                                    .updates(400)
                                    .build()
                                    .messages());
            assertThat(v.failed()).as("depth %s: %s", depth, v.toJson()).isFalse();
            assertThat(v.checksumFailed()).isZero();
            assertThat(v.checksumOk()).isGreaterThan(600);
            assertThat(v.sequenceGaps()).isZero();
            assertThat(v.resyncs()).isZero();
            for (String exchange : new String[] {"kraken", "coinbase"}) {
                assertThat(v.book(exchange, "BTC/USD").isSynced()).isTrue();
                assertThat(v.book(exchange, "ETH/USD").isSynced()).isTrue();
            }
            assertThat(v.book("kraken", "BTC/USD").book().bidCount()).isEqualTo(depth);
        }
    }

    @Test
    void shouldReadKrakenNumbersWrittenAsStrings() {
        StreamVerifier v =
                verify(
                        StreamScript.builder()
                                .option("kraken.numbers-as-strings", "true")
                                .updates(200)
                                .build()
                                .messages());
        assertThat(v.failed()).isFalse();
        assertThat(v.checksumOk()).isGreaterThan(300);
    }

    @Test
    void shouldReportACorruptedChecksumAndTheResyncThatFollows() {
        StreamVerifier v =
                verify(
                        StreamScript.builder()
                                .updates(100)
                                .fault("kraken", StreamFault.CORRUPT_CHECKSUM, 40)
                                .build()
                                .messages());
        assertThat(v.failed()).isTrue();
        assertThat(v.checksumFailed()).isEqualTo(1);
        assertThat(v.resyncs()).isEqualTo(1);
        assertThat(v.errorsByType()).containsEntry(IngestError.CHECKSUM_MISMATCH, 1L);
        assertThat(v.toJson()).contains("\"checksum_failed\":1").contains("\"ok\":false");
        assertThat(v.book("kraken", "BTC/USD").isSynced()).isTrue();
    }

    @Test
    void shouldReportADroppedCoinbaseMessageAsAGapAndResyncEveryBook() {
        StreamVerifier v =
                verify(
                        StreamScript.builder()
                                .updates(100)
                                .fault("coinbase", StreamFault.DROP_MESSAGE, 30)
                                .build()
                                .messages());
        assertThat(v.failed()).isTrue();
        assertThat(v.sequenceGaps()).isEqualTo(1);
        assertThat(v.errorsByType()).containsEntry(IngestError.SEQUENCE_GAP, 1L);
        assertThat(v.resyncs()).isEqualTo(2);
        assertThat(v.book("coinbase", "ETH/USD").isSynced()).isTrue();
    }

    /**
     * A Coinbase message that does not parse reaches the job without a market (the source could not
     * read one); its changes are lost, and with no checksum nothing later would show it: every
     * Coinbase book is dropped until its next snapshot, Kraken's are not.
     */
    @Test
    void shouldDropEveryCoinbaseBookWhenOneOfItsMessagesDoesNotParse() {
        List<RawMessage> messages =
                new java.util.ArrayList<>(StreamScript.builder().updates(100).build().messages());
        int at = -1;
        for (int i = messages.size() / 2; i < messages.size() && at < 0; i++) {
            RawMessage m = messages.get(i);
            if (m.exchange.equals("coinbase")
                    && m.payload.contains("\"type\":\"update\"")
                    && m.payload.contains("\"price_level\":\"")) {
                at = i;
            }
        }
        assertThat(at).isPositive();
        RawMessage good = messages.get(at);
        messages.set(
                at,
                RawMessage.wsMessage(
                        "coinbase",
                        "",
                        good.receivedAt,
                        good.payload.replace("\"price_level\":\"", "\"price_level\":\"-")));
        StreamVerifier clean = verify(StreamScript.builder().updates(100).build().messages());
        assertThat(clean.failed()).isFalse();

        StreamVerifier v = verify(messages.subList(0, at + 1));
        assertThat(v.errorsByType()).containsEntry(IngestError.MALFORMED, 1L);
        assertThat(v.sequenceGaps()).as("the sequence itself is contiguous").isZero();
        for (String market : new String[] {"BTC/USD", "ETH/USD"}) {
            assertThat(v.book("coinbase", market).status())
                    .as("coinbase %s", market)
                    .isEqualTo(BookSync.Status.GAP);
            assertThat(v.book("kraken", market).isSynced()).as("kraken %s", market).isTrue();
        }
        assertThat(v.failed()).isTrue();
    }

    @Test
    void shouldVerifyTheDocumentedKrakenExamplesAndDropBooksOnADisconnect() {
        long t = Fixtures.RECEIVED_AT;
        StreamVerifier v =
                verify(
                        List.of(
                                RawMessage.wsMessage(
                                        "kraken",
                                        "MATIC/USD",
                                        t,
                                        Fixtures.docsExample("kraken-ws-v2-book-snapshot.json")),
                                RawMessage.wsMessage(
                                        "kraken",
                                        "MATIC/USD",
                                        t,
                                        Fixtures.docsExample("kraken-ws-v2-book-update.json"))));
        assertThat(v.failed()).isFalse();
        assertThat(v.checksumOk()).isEqualTo(2);

        v.accept(ConnectionEvent.DISCONNECTED.toRawMessage("kraken", t + 1, "closed 1006"));
        assertThat(v.book("kraken", "MATIC/USD").status()).isEqualTo(BookSync.Status.DISCONNECTED);
        assertThat(v.failed()).isTrue();
        assertThat(v.toJson()).contains("\"connection_failures\":1");
    }
}
