package io.depthflow.clickhouse.internal;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClickHouseOutagesTest {

    private final Object raw = new Object();
    private final Object mids = new Object();

    @BeforeEach
    void reset() {
        ClickHouseOutages.reset();
    }

    @Test
    void shouldTellAnOutageOnceWhenItOpensAndOnceWhenTheLastWriterGetsThrough() {
        assertThat(ClickHouseOutages.down("ch:8123", raw, 1_000))
                .as("first writer down opens it")
                .isTrue();
        assertThat(ClickHouseOutages.down("ch:8123", mids, 1_200))
                .as("second writer down")
                .isFalse();
        assertThat(ClickHouseOutages.down("ch:8123", raw, 1_500)).as("same writer again").isFalse();

        assertThat(ClickHouseOutages.up("ch:8123", raw)).as("one writer still down").isEqualTo(-1);
        assertThat(ClickHouseOutages.up("ch:8123", mids))
                .as("the last writer closes it")
                .isEqualTo(1_000);
        assertThat(ClickHouseOutages.up("ch:8123", mids)).as("closed already").isEqualTo(-1);

        assertThat(ClickHouseOutages.down("ch:8123", mids, 9_000))
                .as("a new outage opens again")
                .isTrue();
    }

    @Test
    void shouldKeepOutagesOfDifferentServersApart() {
        assertThat(ClickHouseOutages.down("a:8123", raw, 1_000)).isTrue();
        assertThat(ClickHouseOutages.down("b:8123", raw, 2_000)).isTrue();
        assertThat(ClickHouseOutages.up("b:8123", raw)).isEqualTo(2_000);
        assertThat(ClickHouseOutages.up("a:8123", raw)).isEqualTo(1_000);
    }

    @Test
    void shouldRemindOncePerIntervalWhicheverWriterAsks() {
        ClickHouseOutages.down("ch:8123", raw, 0);
        ClickHouseOutages.down("ch:8123", mids, 10);
        assertThat(ClickHouseOutages.remindSince("ch:8123", 299_999, 300_000)).isEqualTo(-1);
        assertThat(ClickHouseOutages.remindSince("ch:8123", 300_000, 300_000)).isZero();
        assertThat(ClickHouseOutages.remindSince("ch:8123", 300_001, 300_000))
                .as("told by raw already")
                .isEqualTo(-1);
        assertThat(ClickHouseOutages.remindSince("ch:8123", 600_000, 300_000)).isZero();
        assertThat(ClickHouseOutages.remindSince("other:1", 600_000, 300_000))
                .as("no outage there")
                .isEqualTo(-1);
    }

    @Test
    void shouldLetAClosingWriterLeaveTheOutage() {
        ClickHouseOutages.down("ch:8123", raw, 0);
        ClickHouseOutages.down("ch:8123", mids, 0);
        ClickHouseOutages.up("ch:8123", raw); // raw's writer closed during the outage
        assertThat(ClickHouseOutages.up("ch:8123", mids)).isZero();
    }

    @Test
    void shouldWriteDurationsAsAPersonReadsThem() {
        assertThat(ClickHouseOutages.humanDuration(0)).isEqualTo("0 s");
        assertThat(ClickHouseOutages.humanDuration(12_400)).isEqualTo("12 s");
        assertThat(ClickHouseOutages.humanDuration(102_687)).isEqualTo("1 min 42 s");
        assertThat(ClickHouseOutages.humanDuration(7_500_000)).isEqualTo("2 h 5 min");
    }

    @Test
    void shouldNameTheServerByHostAndPortWithoutCredentials() {
        assertThat(
                        ClickHouseSinkWriter.endpointOf(
                                "jdbc:clickhouse://127.0.0.1:8224/default?compress=0"))
                .isEqualTo("127.0.0.1:8224");
        assertThat(
                        ClickHouseSinkWriter.endpointOf(
                                "jdbc:clickhouse:http://u:secret@ch.example:8443/db"))
                .isEqualTo("ch.example:8443");
        assertThat(ClickHouseSinkWriter.endpointOf("not a url?password=secret"))
                .doesNotContain("secret");
    }
}
