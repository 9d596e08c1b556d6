package io.depthflow.clickhouse.internal;

import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryGatedBufferTest {

    private final RetryGate gate = new RetryGate();
    private final RetryGatedBuffer<PendingRow<String>> buffer =
            new RetryGatedBuffer<>(gate, PendingRow::bufferedAtMs);

    @Test
    void shouldHideEveryRowDuringABackoffButKeepThemAllInTheState() {
        buffer.add(entry("a", 10, 100), false);
        buffer.add(entry("b", 20, 200), false);
        buffer.add(entry("retried", 5, 50), true); // a failed batch goes back to the head

        gate.backingOff = true;

        // what AsyncSinkWriter sees: nothing to send, so no loop spins and nothing is sent
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.size()).isZero();
        assertThat(buffer.totalSizeInBytes()).isZero();
        assertThat(buffer.peek()).isNull();
        assertThat(buffer.poll()).isNull();
        // what the bound, the metrics and the checkpoint see: everything, oldest first
        assertThat(buffer.rows()).isEqualTo(3);
        assertThat(buffer.bytes()).isEqualTo(350);
        assertThat(buffer.headBufferedAtMs()).isEqualTo(5);
        assertThat(buffer.getBufferedState())
                .extracting(e -> e.getRequestEntry().row())
                .containsExactly("retried", "a", "b");
    }

    @Test
    void shouldShowTheRowsAgainWhenTheBackoffEndsOrWhenDrainingAtEndOfInput() {
        buffer.add(entry("a", 10, 100), false);
        gate.backingOff = true;
        gate.draining = true;
        assertThat(buffer.size()).isEqualTo(1);

        gate.draining = false;
        gate.backingOff = false;
        assertThat(buffer.size()).isEqualTo(1);
        assertThat(buffer.poll().getRequestEntry().row()).isEqualTo("a");
        assertThat(buffer.rows()).isZero();
        assertThat(buffer.bytes()).isZero();
        assertThat(buffer.headBufferedAtMs()).isEqualTo(Long.MAX_VALUE);
    }

    private static RequestEntryWrapper<PendingRow<String>> entry(String row, long at, long bytes) {
        return new RequestEntryWrapper<>(new PendingRow<>(row, at), bytes);
    }
}
