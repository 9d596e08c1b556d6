package io.depthflow.sources.ws;

import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;

import io.depthflow.sources.clock.SourceClock;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket source's state: versioned serializers round-trip (and read version 1), the
 * enumerator hands each feed to its owner, and a restored job runs with its own configuration: new
 * settings for the feeds it keeps, a connection for a feed it adds, none for a feed it drops.
 */
class WsBookSourceStateTest {

    private static final long NOW = 1_795_175_103_203L;

    private static final FeedSettings KRAKEN =
            FeedSettings.of("kraken", "ws://127.0.0.1:9001/kraken/v2", List.of("BTC/USD"))
                    .withDepth(10);
    private static final FeedSettings COINBASE =
            FeedSettings.of("coinbase", "ws://127.0.0.1:9001/coinbase", List.of("BTC/USD"));

    private static WsBookSource source(FeedSettings... feeds) {
        WsBookSourceBuilder b = WsBookSource.builder().setClock((SourceClock) () -> NOW);
        for (FeedSettings f : feeds) {
            b.addFeed(f);
        }
        return b.build();
    }

    private static List<String> assigned(
            TestingSplitEnumeratorContext<WsBookSplit> context, int reader) {
        var a = context.getSplitAssignments().get(reader);
        return a == null
                ? List.of()
                : a.getAssignedSplits().stream().map(WsBookSplit::splitId).toList();
    }

    @Test
    void shouldRoundTripSplitsAndEnumeratorStateAndReadVersionOne() throws Exception {
        WsBookSplitSerializer splits = new WsBookSplitSerializer();
        WsBookSplit split =
                new WsBookSplit(KRAKEN.withStaleAfter(Duration.ofSeconds(7)), NOW + 60_000);
        assertThat(splits.deserialize(splits.getVersion(), splits.serialize(split)))
                .isEqualTo(split);

        WsBookEnumStateSerializer states = new WsBookEnumStateSerializer();
        WsBookEnumState state = new WsBookEnumState(List.of(split), Set.of("coinbase"));
        assertThat(states.getVersion()).isEqualTo(2);
        assertThat(states.deserialize(2, states.serialize(state))).isEqualTo(state);

        // version 1: the unassigned splits only
        ByteArrayOutputStream v1 = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(v1)) {
            byte[] s = splits.serialize(split);
            out.writeInt(1);
            out.writeInt(splits.getVersion());
            out.writeInt(s.length);
            out.write(s);
        }
        WsBookEnumState read = states.deserialize(1, v1.toByteArray());
        assertThat(read.unassigned()).containsExactly(split);
        assertThat(read.assigned()).isNull();
    }

    @Test
    void shouldGiveEachFeedToItsOwnerAndRecordTheAssignment() {
        TestingSplitEnumeratorContext<WsBookSplit> context = new TestingSplitEnumeratorContext<>(2);
        WsBookEnumerator enumerator =
                (WsBookEnumerator) source(KRAKEN, COINBASE).createEnumerator(context);
        context.registerReader(1, "localhost");
        enumerator.addReader(1);
        context.registerReader(0, "localhost");
        enumerator.addReader(0);

        assertThat(assigned(context, 0)).containsExactly("kraken");
        assertThat(assigned(context, 1)).containsExactly("coinbase");
        WsBookEnumState state = enumerator.snapshotState(1L);
        assertThat(state.unassigned()).isEmpty();
        assertThat(state.assigned()).containsExactlyInAnyOrder("kraken", "coinbase");

        // A failed reader's feed goes back to it as soon as it is registered again.
        enumerator.addSplitsBack(List.of(new WsBookSplit(COINBASE, Long.MAX_VALUE)), 1);
        assertThat(assigned(context, 1)).containsExactly("coinbase", "coinbase");
        assertThat(enumerator.snapshotState(2L).assigned())
                .containsExactlyInAnyOrder("kraken", "coinbase");
        assertThat(enumerator.snapshotState(2L).unassigned()).isEmpty();
    }

    @Test
    void shouldOpenAFeedTheUpgradeAddsAndNotTheOnesReadersHold() {
        // The old job ran Kraken only, assigned to reader 0.
        WsBookEnumState old = new WsBookEnumState(List.of(), Set.of("kraken"));
        TestingSplitEnumeratorContext<WsBookSplit> context = new TestingSplitEnumeratorContext<>(2);
        WsBookEnumerator enumerator =
                (WsBookEnumerator) source(KRAKEN, COINBASE).restoreEnumerator(context, old);
        context.registerReader(0, "localhost");
        enumerator.addReader(0);
        context.registerReader(1, "localhost");
        enumerator.addReader(1);

        assertThat(assigned(context, 0))
                .as("kraken's split comes back from reader 0's own state")
                .isEmpty();
        assertThat(assigned(context, 1)).containsExactly("coinbase");

        // A version-1 state does not say what readers hold: nothing is added.
        TestingSplitEnumeratorContext<WsBookSplit> v1 = new TestingSplitEnumeratorContext<>(2);
        WsBookEnumerator fromV1 =
                (WsBookEnumerator)
                        source(KRAKEN, COINBASE)
                                .restoreEnumerator(v1, new WsBookEnumState(List.of(), null));
        assertThat(fromV1.snapshotState(1L).unassigned()).isEmpty();
    }

    @Test
    void shouldRunARestoredFeedWithTheRunningJobsSettings() {
        FeedSettings newKraken =
                FeedSettings.of("kraken", "wss://ws.kraken.com/v2", List.of("BTC/USD", "ETH/USD"))
                        .withDepth(100);
        List<WsBookSplit> restored =
                List.of(
                        new WsBookSplit(KRAKEN, NOW + 60_000),
                        new WsBookSplit(COINBASE, NOW + 60_000));

        List<WsBookSplit> unbounded =
                WsBookSourceReader.current(Map.of("kraken", newKraken), Long.MAX_VALUE, restored);
        assertThat(unbounded)
                .as("coinbase is no longer configured")
                .containsExactly(new WsBookSplit(newKraken, Long.MAX_VALUE));

        List<WsBookSplit> restarted =
                WsBookSourceReader.current(Map.of("kraken", newKraken), NOW + 120_000, restored);
        assertThat(restarted)
                .as("a bounded run restarted keeps the end it began with")
                .containsExactly(new WsBookSplit(newKraken, NOW + 60_000));

        List<WsBookSplit> fromUnbounded =
                WsBookSourceReader.current(
                        Map.of("kraken", newKraken),
                        NOW + 30_000,
                        List.of(new WsBookSplit(KRAKEN, Long.MAX_VALUE)));
        assertThat(fromUnbounded)
                .as("a bounded run from an unbounded job's savepoint ends with its duration")
                .containsExactly(new WsBookSplit(newKraken, NOW + 30_000));
    }
}
