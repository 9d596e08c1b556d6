package io.depthflow.job.io;

import org.apache.flink.types.PojoTestUtils;

import io.depthflow.sources.capture.DecodedLine;
import io.depthflow.sources.model.IngestError;
import org.junit.jupiter.api.Test;

/**
 * The records between the capture and raw-log readers and the rest of the job are Flink POJOs (the
 * job runs with generic types off: Kryo would fail it).
 */
class DecodedLineTypesTest {

    @Test
    void shouldSerializeLinesDecodedLinesAndErrorRowsAsPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(CaptureLine.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DecodedLine.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(IngestError.class);
    }
}
