package io.depthflow.sources.rest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestBookSerializersTest {

    private static final RestBookSplit BOUNDED =
            new RestBookSplit("kraken", "BTC/USD", 1_795_175_160_000L, 7, 1_795_178_703_203L);
    private static final RestBookSplit UNBOUNDED =
            new RestBookSplit("coinbase", "ETH/USD", 1_795_175_160_000L, 0, Long.MAX_VALUE);

    @Test
    void shouldRoundTripSplits() throws IOException {
        RestBookSplitSerializer serializer = new RestBookSplitSerializer();

        for (RestBookSplit split : List.of(BOUNDED, UNBOUNDED)) {
            RestBookSplit copy =
                    serializer.deserialize(serializer.getVersion(), serializer.serialize(split));
            assertThat(copy).isEqualTo(split);
            assertThat(copy.splitId()).isEqualTo(split.splitId());
        }
        assertThat(serializer.getVersion())
                .isEqualTo(RestBookSplitSerializer.CURRENT_VERSION)
                .isEqualTo(1);
    }

    @Test
    void shouldRoundTripEnumeratorState() throws IOException {
        RestBookEnumStateSerializer serializer = new RestBookEnumStateSerializer();

        for (RestBookEnumState state :
                List.of(
                        new RestBookEnumState(List.of()),
                        new RestBookEnumState(List.of(BOUNDED, UNBOUNDED)))) {
            assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state)))
                    .isEqualTo(state);
        }
        assertThat(serializer.getVersion())
                .isEqualTo(RestBookEnumStateSerializer.CURRENT_VERSION)
                .isEqualTo(1);
    }

    @Test
    void shouldRefuseUnknownVersions() throws IOException {
        RestBookSplitSerializer splits = new RestBookSplitSerializer();
        byte[] bytes = splits.serialize(BOUNDED);

        assertThatThrownBy(() -> splits.deserialize(2, bytes))
                .isInstanceOf(IOException.class)
                .hasMessage("unknown RestBookSplit serializer version 2");
        assertThatThrownBy(() -> new RestBookEnumStateSerializer().deserialize(0, new byte[4]))
                .isInstanceOf(IOException.class)
                .hasMessage("unknown RestBookEnumState serializer version 0");
    }
}
