package io.depthflow.job.stream;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import io.depthflow.job.book.BookSync;
import io.depthflow.job.functions.BookBuilder;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamScript;
import io.depthflow.sources.venue.RecordedFeed;
import io.depthflow.sources.venue.StreamDecoder;
import io.depthflow.sources.venue.Venues;
import io.depthflow.sources.ws.BookEvent;
import io.depthflow.sources.ws.BookEventSerializer;
import io.depthflow.sources.ws.StreamMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.depthflow.sources.testing.Fixtures.docsExample;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decode step of every stream input path (live source, replay, Kafka raw log, {@code verify}):
 * each message of each venue is parsed once into venue-free {@link BookEvent}s whose levels are
 * exactly what the venue's own decoder reads, with the integrity verdict attached, and whose errors
 * carry the raw payload verbatim.
 */
class BookEventDecoderTest {

    private static final long T = 1_795_175_103_203L;

    /** Real captures of three venues, and the simulator's wire format of the other two. */
    static Stream<Arguments> feeds() {
        return Stream.of(
                Arguments.of("bitstamp", RecordedFeed.received("bitstamp/bitstamp-ws.txt")),
                Arguments.of("gemini", RecordedFeed.received("gemini/gemini-ws.txt")),
                Arguments.of("bitfinex", RecordedFeed.received("bitfinex/bitfinex-ws.txt")),
                Arguments.of("kraken", simulated("kraken")),
                Arguments.of("coinbase", simulated("coinbase")),
                Arguments.of(
                        "kraken",
                        List.of(
                                docsExample("kraken-ws-v2-book-subscribe-ack.json"),
                                docsExample("kraken-ws-v2-heartbeat.json"))),
                Arguments.of(
                        "coinbase",
                        List.of(
                                docsExample("coinbase-advanced-l2-data.json"),
                                docsExample("coinbase-advanced-heartbeats.json"))));
    }

    /**
     * The simulator's WebSocket messages, each once (a message naming two markets is sent once).
     */
    private static List<String> simulated(String exchange) {
        List<String> payloads = new ArrayList<>();
        for (RawMessage m :
                StreamScript.builder()
                        .seed(41)
                        .exchanges(List.of(exchange))
                        .start(T)
                        .updates(300)
                        .build()
                        .messages()) {
            if (RawMessage.KIND_WS.equals(m.kind)
                    && (payloads.isEmpty()
                            || !payloads.get(payloads.size() - 1).equals(m.payload))) {
                payloads.add(m.payload);
            }
        }
        return payloads;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("feeds")
    void shouldDecodeEachMessageOnceIntoEventsEqualToTheVenuesOwnDecoding(
            String exchange, List<String> payloads) throws Exception {
        BookEventDecoder decoder = new BookEventDecoder();
        StreamDecoder venue = Venues.get(exchange).stream().newDecoder();
        StreamMessage all = new StreamMessage();
        StreamMessage expected = new StreamMessage();
        List<IngestError> errors = new ArrayList<>();
        int books = 0;
        long at = T;
        for (String payload : payloads) {
            venue.decode(payload, null, all);
            for (String market : List.copyOf(all.markets)) {
                RawMessage raw = RawMessage.wsMessage(exchange, market, ++at, payload);
                List<BookEvent> events = new ArrayList<>();
                decoder.decode(raw, Long.MIN_VALUE, output(events, errors));
                assertThat(events).as(payload).hasSize(1);
                BookEvent e = events.get(0);
                assertThat(e.exchange).isEqualTo(exchange);
                assertThat(e.market).isEqualTo(market);
                assertThat(e.receivedAt).isEqualTo(at);
                Venues.get(exchange).stream().newDecoder().decode(payload, market, expected);
                switch (expected.type) {
                    case BOOK_SNAPSHOT, BOOK_UPDATE -> {
                        books++;
                        assertThat(e.kind)
                                .isEqualTo(
                                        expected.isSnapshot()
                                                ? BookEvent.Kind.SNAPSHOT
                                                : BookEvent.Kind.UPDATE);
                        assertThat(e.checked).isEqualTo(expected.hasChecksum());
                        assertSameLevels(e, expected);
                    }
                    case SUBSCRIBED -> {
                        assertThat(e.kind).isEqualTo(BookEvent.Kind.SUBSCRIBED);
                        assertThat(e.depth).isEqualTo(expected.depth);
                    }
                    default -> assertThat(e.kind).isEqualTo(BookEvent.Kind.NOOP);
                }
                // What crosses the keyBy: the same event, exactly, without the JSON.
                assertThat(roundTrip(e)).isEqualTo(e);
            }
        }
        assertThat(errors).isEmpty();
        if (payloads.size() > 2) {
            assertThat(books).as("book messages decoded").isGreaterThan(10);
        }
    }

    @Test
    void shouldFindAFailedChecksumWhereTheRawTextIsAndCarryThePayloadVerbatim() {
        List<RawMessage> script =
                StreamScript.builder()
                        .seed(32)
                        .exchanges(List.of("kraken"))
                        .start(T)
                        .stepMillis(250)
                        .updates(400)
                        .fault("kraken", StreamFault.CORRUPT_CHECKSUM, 200)
                        .build()
                        .messages();
        List<IngestError> errors = new ArrayList<>();
        List<BookEvent> events = Decoded.events(script, errors);
        assertThat(errors)
                .extracting(e -> e.errorType)
                .containsExactly(IngestError.CHECKSUM_MISMATCH);
        IngestError error = errors.get(0);
        RawMessage bad =
                script.stream()
                        .filter(
                                m ->
                                        m.receivedAt == error.receivedAt
                                                && m.market.equals(error.market))
                        .filter(m -> m.payload.equals(error.payload))
                        .findFirst()
                        .orElseThrow();
        assertThat(error.payload).startsWith("{\"channel\":\"book\",\"type\":\"update\"");
        List<BookEvent> resets =
                events.stream().filter(e -> e.kind == BookEvent.Kind.RESET).toList();
        assertThat(resets)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.market).isEqualTo(bad.market);
                            assertThat(r.receivedAt).isEqualTo(bad.receivedAt);
                            assertThat(r.reason).isEqualTo(IngestError.CHECKSUM_MISMATCH);
                            assertThat(r.detail).startsWith("checksum ");
                        });
        // Every verified book message says so; the book builder has nothing left to check.
        assertThat(events.stream().filter(BookEvent::isBook))
                .allSatisfy(e -> assertThat(e.checked).isTrue());

        // The builder's book drops at the verdict exactly as the decode step's own copy did.
        BookMessageHandler handler = new BookMessageHandler();
        BookSync sync = BookSync.forExchange("kraken");
        List<BookMessageHandler.Result> results = new ArrayList<>();
        for (BookEvent e : events) {
            if (e.market.equals(bad.market)) {
                results.add(
                        handler.handle(
                                e,
                                sync,
                                x -> {
                                    throw new AssertionError(x.toString());
                                }));
            }
        }
        assertThat(results).contains(BookMessageHandler.Result.CHECKSUM_FAILED);
        assertThat(sync.status()).isIn(BookSync.Status.SYNCED, BookSync.Status.CHECKSUM);
    }

    @Test
    void shouldRecordAMalformedPayloadVerbatimAndStillGiveTheBookItsTime() {
        String payload = "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":";
        List<BookEvent> events = new ArrayList<>();
        List<IngestError> errors = new ArrayList<>();
        new BookEventDecoder()
                .decode(
                        RawMessage.wsMessage("kraken", "BTC/USD", T, payload),
                        Long.MIN_VALUE,
                        output(events, errors));
        assertThat(errors)
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.errorType).isEqualTo(IngestError.MALFORMED);
                            assertThat(e.payload).isEqualTo(payload);
                        });
        assertThat(events)
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.kind).isEqualTo(BookEvent.Kind.NOOP);
                            assertThat(e.receivedAt).isEqualTo(T);
                        });
    }

    @Test
    void shouldCarryThePayloadOnlyWhenTheBuilderMightFindTheMessageLate() {
        List<RawMessage> script =
                StreamScript.builder()
                        .seed(5)
                        .exchanges(List.of("coinbase"))
                        .markets(List.of("BTC/USD"))
                        .start(T)
                        .stepMillis(1_000)
                        .updates(200)
                        .build()
                        .messages();
        BookEventDecoder decoder = new BookEventDecoder();
        List<BookEvent> events = new ArrayList<>();
        List<IngestError> errors = new ArrayList<>();
        for (RawMessage m : script) {
            if (!m.market.isEmpty()) {
                decoder.decode(m, m.receivedAt - 5_000, copying(events, errors));
            }
        }
        // In order: only the first message of the book (its restored window is unknown) carries it.
        assertThat(events.stream().filter(e -> e.payload != null)).hasSize(1);
        RawMessage last = script.get(script.size() - 1);
        RawMessage old =
                RawMessage.wsMessage(
                        last.exchange, "BTC/USD", last.receivedAt - 90_000, last.payload);
        decoder.decode(old, last.receivedAt - 5_000, copying(events, errors));
        assertThat(events.get(events.size() - 1).payload).isEqualTo(last.payload);
        // Behind the watermark's minute, even when no later message of the book was seen.
        RawMessage behind = RawMessage.wsMessage("coinbase", "ETH/USD", T, last.payload);
        decoder.decode(behind, T - 1, copying(events, errors)); // first of its book
        decoder.decode(behind, T + 120_000, copying(events, errors));
        assertThat(events.get(events.size() - 1).payload).isEqualTo(last.payload);
    }

    @Test
    void shouldLeaveNoJsonDownstreamOfTheDecodeStep() {
        // The book builder's input is the decoded event ...
        ParameterizedType function = (ParameterizedType) BookBuilder.class.getGenericSuperclass();
        assertThat(function.getActualTypeArguments()[1]).isEqualTo(BookEvent.class);
        // ... and the handler it applies them with takes no text and no raw message.
        for (Method m : BookMessageHandler.class.getDeclaredMethods()) {
            assertThat(Arrays.asList(m.getParameterTypes()))
                    .as(m.toString())
                    .doesNotContain(String.class, RawMessage.class, StreamMessage.class);
        }
    }

    private static void assertSameLevels(BookEvent e, StreamMessage m) {
        assertThat(e.levelCount()).isEqualTo(m.levelCount);
        for (int i = 0; i < m.levelCount; i++) {
            assertThat(e.isBid(i)).isEqualTo(m.isBid(i));
            assertThat(e.price(i)).isEqualTo(m.price(i));
            assertThat(e.priceScale(i)).isEqualTo(m.priceScale(i));
            assertThat(e.size(i)).isEqualTo(m.size(i));
            assertThat(e.sizeScale(i)).isEqualTo(m.sizeScale(i));
        }
    }

    private static BookEvent roundTrip(BookEvent e) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        BookEventSerializer.INSTANCE.serialize(e, out);
        return BookEventSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static BookEventDecoder.Output output(
            List<BookEvent> events, List<IngestError> errors) {
        return copying(events, errors);
    }

    private static BookEventDecoder.Output copying(
            List<BookEvent> events, List<IngestError> errors) {
        return new BookEventDecoder.Output() {
            @Override
            public void event(BookEvent event) {
                events.add(event.copy());
            }

            @Override
            public void error(IngestError error) {
                errors.add(error);
            }
        };
    }
}
