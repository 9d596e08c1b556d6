package io.depthflow.sources.venue.coinbase;

import io.depthflow.sources.venue.ConnectionSequence.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CoinbaseSequenceTest {

    @Test
    void shouldReportAGapWithTheNumberOfMissingMessages() {
        CoinbaseSequence s = new CoinbaseSequence();
        assertThat(s.accept(0)).isEqualTo(Verdict.RESTART);
        assertThat(s.accept(1)).isEqualTo(Verdict.IN_ORDER);
        assertThat(s.accept(4)).isEqualTo(Verdict.GAP);
        assertThat(s.missing()).isEqualTo(2);
        assertThat(s.accept(5)).isEqualTo(Verdict.IN_ORDER);
        assertThat(s.missing()).isZero();
    }

    @Test
    void shouldIgnoreOldMessagesAndTreatZeroAsANewConnection() {
        CoinbaseSequence s = new CoinbaseSequence();
        s.accept(10);
        assertThat(s.accept(10)).isEqualTo(Verdict.OUT_OF_ORDER);
        assertThat(s.accept(7)).isEqualTo(Verdict.OUT_OF_ORDER);
        assertThat(s.last()).isEqualTo(10);
        assertThat(s.accept(0)).isEqualTo(Verdict.RESTART);
        assertThat(s.accept(1)).isEqualTo(Verdict.IN_ORDER);
        assertThat(s.accept(-1)).isEqualTo(Verdict.IN_ORDER);
        s.reset();
        assertThat(s.accept(57)).isEqualTo(Verdict.RESTART);
    }
}
