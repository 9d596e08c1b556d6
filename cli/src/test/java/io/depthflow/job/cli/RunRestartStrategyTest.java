package io.depthflow.job.cli;

import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.depthflow.job.JobEnvironment;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Which jobs restart by themselves: those with checkpoints to restart from, without a limit. */
class RunRestartStrategyTest {

    @Test
    void shouldRestartACheckpointedJobWithExponentialDelayAndNoLimit() {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment();

        JobEnvironment.configure(env, 2, 30_000);

        assertThat(env.getConfiguration().get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(
                        env.getConfiguration()
                                .get(
                                        RestartStrategyOptions
                                                .RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(
                        env.getConfiguration()
                                .get(
                                        RestartStrategyOptions
                                                .RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void shouldLeaveABoundedReplayWithoutCheckpointsToFailWithOneLine() {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment();

        JobEnvironment.configure(env, 2, 0);

        assertThat(env.getConfiguration().getOptional(RestartStrategyOptions.RESTART_STRATEGY))
                .isEmpty();
    }
}
