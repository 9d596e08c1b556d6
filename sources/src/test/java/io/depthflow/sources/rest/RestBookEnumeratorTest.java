package io.depthflow.sources.rest;

import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;

import io.depthflow.sources.clock.SourceClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RestBookEnumeratorTest {

    private static final long NOW = 1_795_175_103_203L; // 2026-11-20T11:45:03.203Z
    private static final long NEXT_MINUTE = 1_795_175_160_000L;

    private final RestBookSource source =
            RestBookSource.builder()
                    .setClock((SourceClock) () -> NOW)
                    .setDuration(Duration.ofMinutes(5))
                    .build();

    private static List<String> assigned(
            TestingSplitEnumeratorContext<RestBookSplit> context, int reader) {
        return context.getSplitAssignments().get(reader).getAssignedSplits().stream()
                .map(RestBookSplit::splitId)
                .toList();
    }

    @Test
    void shouldCreateOneSplitPerExchangeAndMarketStartingAtTheNextTick() {
        TestingSplitEnumeratorContext<RestBookSplit> context =
                new TestingSplitEnumeratorContext<>(2);
        RestBookEnumerator enumerator = (RestBookEnumerator) source.createEnumerator(context);

        assertThat(enumerator.snapshotState(1L).unassigned())
                .containsExactly(
                        new RestBookSplit("coinbase", "BTC/USD", NEXT_MINUTE, 0, NOW + 300_000),
                        new RestBookSplit("coinbase", "ETH/USD", NEXT_MINUTE, 0, NOW + 300_000),
                        new RestBookSplit("kraken", "BTC/USD", NEXT_MINUTE, 0, NOW + 300_000),
                        new RestBookSplit("kraken", "ETH/USD", NEXT_MINUTE, 0, NOW + 300_000));
    }

    @Test
    void shouldAssignSplitsRoundRobinAndSignalNoMoreSplits() {
        TestingSplitEnumeratorContext<RestBookSplit> context =
                new TestingSplitEnumeratorContext<>(2);
        RestBookEnumerator enumerator = (RestBookEnumerator) source.createEnumerator(context);
        enumerator.start();

        context.registerReader(1, "localhost");
        enumerator.addReader(1);
        context.registerReader(0, "localhost");
        enumerator.addReader(0);

        assertThat(assigned(context, 0)).containsExactly("coinbase:BTC/USD", "kraken:BTC/USD");
        assertThat(assigned(context, 1)).containsExactly("coinbase:ETH/USD", "kraken:ETH/USD");
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isTrue();
        assertThat(context.getSplitAssignments().get(1).hasReceivedNoMoreSplitsSignal()).isTrue();
        assertThat(enumerator.snapshotState(2L).unassigned()).isEmpty();
    }

    @Test
    void shouldReassignSplitsHandedBackToTheirOwner() {
        TestingSplitEnumeratorContext<RestBookSplit> context =
                new TestingSplitEnumeratorContext<>(3);
        // Restored after every split had been assigned; readers 1 and 2 then fail.
        RestBookEnumerator enumerator =
                (RestBookEnumerator)
                        source.restoreEnumerator(context, new RestBookEnumState(List.of()));
        context.registerReader(2, "localhost");
        enumerator.addReader(2);
        RestBookSplit krakenBtc =
                new RestBookSplit("kraken", "BTC/USD", NEXT_MINUTE + 60_000, 1, NOW + 300_000);
        RestBookSplit coinbaseEth =
                new RestBookSplit("coinbase", "ETH/USD", NEXT_MINUTE + 60_000, 1, NOW + 300_000);

        // Reader 2 is registered again already: its split goes straight back.
        enumerator.addSplitsBack(List.of(krakenBtc), 2);
        assertThat(context.getSplitAssignments().get(2).getAssignedSplits())
                .containsExactly(krakenBtc);

        // Reader 1 is not: its split waits for it.
        enumerator.addSplitsBack(List.of(coinbaseEth), 1);
        assertThat(enumerator.snapshotState(3L).unassigned()).containsExactly(coinbaseEth);
        context.registerReader(1, "localhost");
        enumerator.addReader(1);
        assertThat(context.getSplitAssignments().get(1).getAssignedSplits())
                .containsExactly(coinbaseEth);
        assertThat(enumerator.snapshotState(4L).unassigned()).isEmpty();
    }

    @Test
    void shouldRestoreOnlyTheUnassignedSplits() {
        RestBookSplit pending =
                new RestBookSplit("coinbase", "ETH/USD", NEXT_MINUTE, 3, Long.MAX_VALUE);
        TestingSplitEnumeratorContext<RestBookSplit> context =
                new TestingSplitEnumeratorContext<>(2);
        RestBookEnumerator enumerator =
                (RestBookEnumerator)
                        source.restoreEnumerator(context, new RestBookEnumState(List.of(pending)));

        context.registerReader(0, "localhost");
        enumerator.addReader(0);
        context.registerReader(1, "localhost");
        enumerator.addReader(1);

        assertThat(context.getSplitAssignments().get(0).getAssignedSplits()).isEmpty();
        assertThat(context.getSplitAssignments().get(1).getAssignedSplits())
                .containsExactly(pending);
    }
}
