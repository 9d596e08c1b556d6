package io.depthflow.job.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-line cause {@code run} prints when the job fails. */
class JobEventsTest {

    @Test
    void shouldNameTheInnermostCauseOfAStackTrace() {
        String trace =
                String.join(
                        "\n",
                        "org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy",
                        "\tat org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:219)",
                        "Caused by: java.io.IOException: writing records to ClickHouse failed",
                        "\tat io.depthflow.Foo.bar(Foo.java:1)",
                        "Caused by: java.net.ConnectException: Connection refused",
                        "\t... 12 more");

        assertThat(JobEvents.rootCause(trace))
                .isEqualTo("java.net.ConnectException: Connection refused");
    }

    @Test
    void shouldFallBackToTheFirstLineAndCutLongMessages() {
        assertThat(JobEvents.rootCause("java.lang.IllegalStateException: boom\n\tat x.y(Z.java:1)"))
                .isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(JobEvents.rootCause("x".repeat(500))).hasSize(203).endsWith("...");
        assertThat(JobEvents.rootCause("")).isEqualTo("no message");
    }

    @Test
    void shouldReadTheStackTraceOfAFailureFromFlinksRestAnswerHoweverLongItIs() {
        // a mini cluster's TaskManager loss gave a stack trace long enough to overflow a regex
        String frames = "\\tat org.apache.flink.Foo.bar(Foo.java:1)\\n".repeat(20_000);
        String body =
                "{\"exceptionHistory\":{\"entries\":[{\"exceptionName\":\"x\",\"stacktrace\":\""
                        + "java.lang.Exception: outer\\n"
                        + frames
                        + "Caused by: java.net.ConnectException: Connection \\\"refused\\\"\\n"
                        + frames
                        + "\",\"timestamp\":1796535034000}]}}";

        String trace = JobEvents.jsonString(body, "stacktrace");

        assertThat(trace).startsWith("java.lang.Exception: outer\n\tat org.apache.flink.Foo.bar");
        assertThat(JobEvents.rootCause(trace))
                .isEqualTo("java.net.ConnectException: Connection \"refused\"");
        assertThat(JobEvents.jsonString(body, "missing")).isNull();
    }
}
