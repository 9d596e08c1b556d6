package io.depthflow.job.io.kafka;

import org.apache.flink.connector.base.DeliveryGuarantee;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaRawOptionsTest {

    @Test
    void shouldDefaultToExactlyOnceIntoDepthflowRawFromTheEarliestOffsets() {
        KafkaRawOptions o = KafkaRawOptions.builder().bootstrapServers("127.0.0.1:9092").build();

        assertThat(o.topic()).isEqualTo("depthflow.raw");
        assertThat(o.delivery()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(o.transactionalIdPrefix()).isEqualTo("depthflow-depthflow.raw");
        assertThat(o.start()).isEqualTo(KafkaRawOptions.Start.EARLIEST);
        assertThat(o.groupId()).isEqualTo("depthflow");
        assertThat(o.bounded()).isFalse();
    }

    @Test
    void shouldStartAtAnInstantGivenInUtcOrWithAnOffset() {
        assertThat(
                        KafkaRawOptions.builder()
                                .bootstrapServers("k:9092")
                                .start("2026-11-20T11:45:00Z")
                                .build()
                                .startAt())
                .isEqualTo(Instant.parse("2026-11-20T11:45:00Z"));
        KafkaRawOptions o =
                KafkaRawOptions.builder()
                        .bootstrapServers("k:9092")
                        .start("2026-11-20T12:45:00+01:00")
                        .build();
        assertThat(o.start()).isEqualTo(KafkaRawOptions.Start.TIMESTAMP);
        assertThat(o.startAt()).isEqualTo(Instant.parse("2026-11-20T11:45:00Z"));
        assertThat(
                        KafkaRawOptions.builder()
                                .bootstrapServers("k:9092")
                                .start("LATEST")
                                .build()
                                .start())
                .isEqualTo(KafkaRawOptions.Start.LATEST);
    }

    @Test
    void shouldRejectMalformedValuesNamingWhatIsAccepted() {
        assertThatThrownBy(() -> KafkaRawOptions.builder().bootstrapServers("localhost"))
                .hasMessageContaining("HOST:PORT")
                .hasMessageContaining("'localhost'");
        assertThatThrownBy(() -> KafkaRawOptions.builder().bootstrapServers("a:1,"))
                .hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> KafkaRawOptions.builder().topic("raw log"))
                .hasMessageContaining("a-z A-Z 0-9 . _ -");
        assertThatThrownBy(() -> KafkaRawOptions.builder().delivery("exactly_once"))
                .hasMessageContaining("exactly-once or at-least-once");
        assertThatThrownBy(() -> KafkaRawOptions.builder().start("yesterday"))
                .hasMessageContaining("earliest, latest or an ISO-8601 timestamp");
        assertThatThrownBy(() -> KafkaRawOptions.builder().build())
                .hasMessageContaining("bootstrap servers are required");
    }

    @Test
    void shouldAcceptSeveralBootstrapServers() {
        assertThat(
                        KafkaRawOptions.builder()
                                .bootstrapServers("k1:9092, k2:9092")
                                .build()
                                .bootstrapServers())
                .isEqualTo("k1:9092,k2:9092");
    }
}
