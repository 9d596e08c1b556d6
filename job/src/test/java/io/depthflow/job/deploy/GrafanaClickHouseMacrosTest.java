package io.depthflow.job.deploy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The expansions the ClickHouse data source plugin documents and tests for its macros (time range
 * 2014-11-12T11:45:26.371Z to 2015-11-12T11:45:26.456Z, interval 20 s), reproduced by {@link
 * GrafanaClickHouseMacros}.
 */
class GrafanaClickHouseMacrosTest {

    private final GrafanaClickHouseMacros macros =
            new GrafanaClickHouseMacros(
                    Instant.parse("2014-11-12T11:45:26.371Z"),
                    Instant.parse("2015-11-12T11:45:26.456Z"),
                    Duration.ofSeconds(20));

    @Test
    void shouldFilterOnWholeSecondsAndKeepNestedParenthesesInTheArgument() {
        assertThat(macros.expand("SELECT * FROM t WHERE $__timeFilter(cast(ts as DateTime) )"))
                .isEqualTo(
                        "SELECT * FROM t WHERE cast(ts as DateTime) >= toDateTime(1415792726) AND cast(ts as DateTime) <= toDateTime(1447328726)");
        assertThat(macros.expand("WHERE $__timeFilter_ms(ts)"))
                .isEqualTo(
                        "WHERE ts >= fromUnixTimestamp64Milli(1415792726371) AND ts <= fromUnixTimestamp64Milli(1447328726456)");
    }

    @Test
    void shouldExpandTheRangeBoundsWithoutArguments() {
        assertThat(macros.expand("WHERE ( d >= $__fromTime ) AND ( d <= $__toTime ) LIMIT 1"))
                .isEqualTo(
                        "WHERE ( d >= toDateTime(1415792726) ) AND ( d <= toDateTime(1447328726) ) LIMIT 1");
        assertThat(macros.expand("d >= $__fromTime_ms and d <= $__toTime_ms"))
                .isEqualTo(
                        "d >= fromUnixTimestamp64Milli(1415792726371) and d <= fromUnixTimestamp64Milli(1447328726456)");
    }

    @Test
    void shouldFilterDatesAndDateTimePrimaryKeys() {
        assertThat(macros.expand("$__dateFilter(day)"))
                .isEqualTo("day >= toDate('2014-11-12') AND day <= toDate('2015-11-12')");
        assertThat(macros.expand("$__dt(day, ts)"))
                .isEqualTo(
                        "(day >= toDate('2014-11-12') AND day <= toDate('2015-11-12')) AND (ts >= toDateTime(1415792726) AND ts <= toDateTime(1447328726))");
    }

    @Test
    void shouldBucketByTheQueryInterval() {
        assertThat(macros.expand("SELECT $__timeInterval(ts) AS time"))
                .isEqualTo("SELECT toStartOfInterval(toDateTime(ts), INTERVAL 20 second) AS time");
        assertThat(macros.expand("$__timeInterval_ms(ts)"))
                .isEqualTo("toStartOfInterval(toDateTime64(ts, 3), INTERVAL 20000 millisecond)");
        assertThat(macros.expand("INTERVAL $__interval_s second")).isEqualTo("INTERVAL 20 second");
        assertThat(
                        new GrafanaClickHouseMacros(
                                        Instant.EPOCH, Instant.EPOCH, Duration.ofMillis(300))
                                .expand("$__interval_s"))
                .as("at least one second")
                .isEqualTo("1");
    }

    @Test
    void shouldRefuseWrongArgumentCountsAndBuilderOnlyMacros() {
        assertThatThrownBy(() -> macros.expand("$__timeFilter(a, b)"))
                .hasMessageContaining("expected 1 argument, received 2");
        assertThatThrownBy(() -> macros.expand("$__dt(a)"))
                .hasMessageContaining("expected 2 arguments, received 1");
        assertThatThrownBy(() -> macros.expand("SELECT * FROM $__table"))
                .hasMessageContaining("query builder");
    }
}
