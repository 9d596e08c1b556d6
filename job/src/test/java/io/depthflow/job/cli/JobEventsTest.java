package io.depthflow.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one-line cause {@code run} prints when the job fails. */
class JobEventsTest {

    @Test
    void shouldNameTheInnermostCauseOfAStackTrace() {
        String trace = String.join("\n",
                "org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy",
                "\tat org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:219)",
                "Caused by: java.io.IOException: writing records to ClickHouse failed",
                "\tat io.depthflow.Foo.bar(Foo.java:1)",
                "Caused by: java.net.ConnectException: Connection refused",
                "\t... 12 more");

        assertThat(JobEvents.rootCause(trace)).isEqualTo("java.net.ConnectException: Connection refused");
    }

    @Test
    void shouldFallBackToTheFirstLineAndCutLongMessages() {
        assertThat(JobEvents.rootCause("java.lang.IllegalStateException: boom\n\tat x.y(Z.java:1)"))
                .isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(JobEvents.rootCause("x".repeat(500))).hasSize(203).endsWith("...");
        assertThat(JobEvents.rootCause("")).isEqualTo("no message");
    }
}
