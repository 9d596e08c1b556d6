package io.depthflow.clickhouse.internal;

import io.depthflow.sources.model.BestExecution;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.MidPrice;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowVersionsTest {

    /** 2026-12-06T05:00:00Z. */
    private static final long NOW = 1_796_533_200_000L;

    private static MidPrice exchangeMid(int samples, long goodMs) {
        MidPrice m =
                new MidPrice(
                        0,
                        "BTC/USD",
                        "kraken",
                        BigDecimal.ONE,
                        samples,
                        BigDecimal.ONE,
                        BigDecimal.ONE,
                        0);
        m.goodMs = goodMs;
        return m;
    }

    private static MidPrice allMid(int exchangeSamples, String... exchanges) {
        MidPrice m =
                new MidPrice(
                        0,
                        "BTC/USD",
                        "all",
                        BigDecimal.ONE,
                        exchanges.length,
                        BigDecimal.ONE,
                        BigDecimal.ONE,
                        0);
        m.exchanges = exchanges;
        m.exchangeSamples = exchangeSamples;
        return m;
    }

    @Test
    void shouldPutTheRankAboveTheWriteTime() {
        long v = RowVersions.version(5, NOW);
        assertThat(v).isEqualTo(5L << 42 | NOW);
        assertThat(RowVersions.rankOf(v)).isEqualTo(5);
        assertThat(RowVersions.writeTimeOf(v)).isEqualTo(NOW);
        // a later write of rank 0 (the old rule's versions were write times only) loses to rank 1
        assertThat(RowVersions.version(1, 0))
                .isGreaterThan(RowVersions.version(0, NOW + 1_000_000));
        // the widest rank stays a non-negative long, as the UInt64 column needs
        assertThat(RowVersions.version(RowVersions.rank(1_000, 1_000_000), NOW)).isPositive();
    }

    @Test
    void shouldRejectWriteTimesAndRanksOutsideTheirBits() {
        assertThatThrownBy(() -> RowVersions.version(0, 1L << 42))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RowVersions.version(0, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RowVersions.version(1L << 21, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRankExchangesAboveTheAmountOfData() {
        // one exchange with 3 polls is less than two exchanges with one poll each
        assertThat(RowVersions.rank(2, 2)).isGreaterThan(RowVersions.rank(1, 3));
        assertThat(RowVersions.rank(1, 3)).isGreaterThan(RowVersions.rank(1, 2));
        // caps: 7 exchanges, 65,535 of amount
        assertThat(RowVersions.rank(9, 0)).isEqualTo(RowVersions.rank(7, 0));
        assertThat(RowVersions.rank(1, 70_000))
                .isEqualTo(RowVersions.rank(1, 65_535))
                .isLessThan(RowVersions.rank(2, 0));
    }

    @Test
    void shouldNeverLetAMidFromFewerPollsWinOverOneFromMore() {
        long complete = RowVersions.midPrice(exchangeMid(3, 0), NOW);
        long partialLater = RowVersions.midPrice(exchangeMid(2, 0), NOW + 3_600_000);
        long equalLater = RowVersions.midPrice(exchangeMid(3, 0), NOW + 1);
        assertThat(partialLater).isLessThan(complete);
        assertThat(equalLater).isGreaterThan(complete);
    }

    @Test
    void shouldRankStreamMidsByUsableTime() {
        long full = RowVersions.midPrice(exchangeMid(500, 60_000), NOW);
        // rebuilt after a restore: more book changes counted, but 12 s less usable time
        long restored = RowVersions.midPrice(exchangeMid(900, 48_000), NOW + 60_000);
        assertThat(restored).isLessThan(full);
        assertThat(RowVersions.midPrice(exchangeMid(500, 60_000), NOW + 1)).isGreaterThan(full);
    }

    @Test
    void shouldRankAllMidsByTheExchangesBehindThem() {
        long both = RowVersions.midPrice(allMid(6, "coinbase", "kraken"), NOW);
        long oneLater = RowVersions.midPrice(allMid(3, "kraken"), NOW + 60_000);
        long bothFewerPolls = RowVersions.midPrice(allMid(5, "coinbase", "kraken"), NOW + 60_000);
        assertThat(oneLater).isLessThan(both);
        assertThat(bothFewerPolls).isLessThan(both);
        assertThat(RowVersions.midPrice(allMid(6, "coinbase", "kraken"), NOW + 1))
                .isGreaterThan(both);
        // an `all` row without names (a row built before they were known) counts its samples
        MidPrice unnamed = allMid(6);
        unnamed.samples = 2;
        assertThat(RowVersions.rankOf(RowVersions.midPrice(unnamed, NOW)))
                .isEqualTo(RowVersions.rank(2, 6));
    }

    @Test
    void shouldRankQuotesByTheirWindowsData() {
        ExecutionQuote q = new ExecutionQuote();
        q.samples = 3;
        long complete = RowVersions.executionQuote(q, NOW);
        q.samples = 2;
        assertThat(RowVersions.executionQuote(q, NOW + 60_000)).isLessThan(complete);
        q.samples = 3;
        assertThat(RowVersions.executionQuote(q, NOW + 1)).isGreaterThan(complete);
    }

    @Test
    void shouldRankBestExecutionByTheExchangesThatQuoted() {
        BestExecution b =
                new BestExecution(0, "BTC/USD", "buy", 50_000, "kraken", BigDecimal.ONE, 1);
        b.exchanges = new String[] {"coinbase", "kraken"};
        b.exchangeSamples = 6;
        long both = RowVersions.bestExecution(b, NOW);
        b.exchanges = new String[] {"kraken"};
        b.exchangeSamples = 3;
        assertThat(RowVersions.bestExecution(b, NOW + 60_000)).isLessThan(both);
        // candidates are exchanges that quoted: a row without names counts at least those
        b.exchanges = null;
        b.candidates = 2;
        b.exchangeSamples = 6;
        assertThat(RowVersions.rankOf(RowVersions.bestExecution(b, NOW)))
                .isEqualTo(RowVersions.rankOf(both));
    }

    @Test
    void shouldVersionPerPollRowsByWriteTimeOnly() {
        assertThat(RowVersions.writeTimeOnly(NOW)).isEqualTo(NOW);
    }
}
