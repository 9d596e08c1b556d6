package io.depthflow.sources.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictObjectTest {

    private static List<String> read(JsonParser p, StrictObject o) throws Exception {
        assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
        o.begin("data", 0);
        List<String> got = new ArrayList<>();
        for (int k; (k = o.next(p)) != StrictObject.END; ) {
            got.add(k + "=" + p.getText());
        }
        assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
        return got;
    }

    @Test
    void shouldReturnTheKeysItReadsAndSkipEverythingElseWhateverItHolds() throws Exception {
        StrictObject o = new StrictObject("x", "price", "qty");
        String json =
                "{\"other\":{\"price\":[1,{\"qty\":2}]},\"qty\":\"3\",\"skip\":[[]],\"price\":\"4\"}";
        try (JsonParser p = StrictJson.openCheckingKeysYourself(json)) {
            assertThat(read(p, o)).containsExactly("1=3", "0=4");
            assertThat(o.has(0)).isTrue();
            assertThat(p.nextToken()).isNull();
        }
        // Field names that are not interned (another factory) are found by value.
        JsonFactory notInterning =
                JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();
        try (JsonParser p = notInterning.createParser("{\"qty\":\"1\",\"price\":\"2\"}")) {
            assertThat(read(p, o)).containsExactly("1=1", "0=2");
        }
    }

    @Test
    void shouldRejectARepeatedKeyItReadsButNotOneItSkips() throws Exception {
        StrictObject o = new StrictObject("kraken", "price", "qty");
        try (JsonParser p =
                StrictJson.openCheckingKeysYourself("{\"a\":1,\"a\":2,\"price\":\"1\"}")) {
            assertThat(read(p, o)).containsExactly("0=1");
        }
        try (JsonParser p =
                StrictJson.openCheckingKeysYourself(
                        "{\"qty\":\"1\",\"price\":\"1\",\"qty\":\"2\"}")) {
            assertThatThrownBy(() -> read(p, o))
                    .isInstanceOf(BookParseException.class)
                    .hasMessage("kraken: duplicate key data[0].qty");
        }
        // Each object starts afresh.
        try (JsonParser p = StrictJson.openCheckingKeysYourself("{\"qty\":\"5\"}")) {
            assertThat(read(p, o)).containsExactly("1=5");
            assertThat(o.has(0)).isFalse();
        }
    }

    @Test
    void shouldHoldAtMostThirtyTwoKeys() {
        assertThatThrownBy(() -> new StrictObject("x", new String[33]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
