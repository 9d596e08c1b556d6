package io.depthflow.sources.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

/** Every model class is a Flink POJO serialized without Kryo (STYLE section 5). */
class ModelPojoTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                RawMessage.class,
                OrderBookSnapshot.class,
                IngestError.class,
                BookSlice.class,
                MidPrice.class,
                ExecutionQuote.class,
                BestExecution.class,
                RoutedExecution.class,
                LiquidityBand.class,
                Arbitrage.class
            })
    void shouldBeSerializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
