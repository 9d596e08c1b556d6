package io.depthflow.job.functions;

import org.apache.flink.types.PojoTestUtils;

import org.junit.jupiter.api.Test;

/** Keyed state must be serialized by Flink's POJO serializer (evolvable), never Kryo. */
class StateTypesTest {

    @Test
    void shouldSerializeTheMinuteAccumulatorAsAPojoWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(MinuteAccumulator.class);
    }
}
