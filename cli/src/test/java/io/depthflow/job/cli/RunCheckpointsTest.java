package io.depthflow.job.cli;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;

import io.depthflow.job.options.RunOptions;
import io.depthflow.job.options.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where {@code run} keeps its checkpoints, which one it resumes from, and when it refuses. */
class RunCheckpointsTest {

    private static final Instant T9 = Instant.parse("2026-12-06T05:21:07Z");

    @TempDir Path data;

    @Test
    void shouldResumeFromTheHighestCompletedCheckpointAndDeleteTheRest() throws Exception {
        RunCheckpoints cps = new RunCheckpoints(data);
        checkpoint(7, Instant.parse("2026-12-06T05:20:00Z"));
        checkpoint(9, T9);
        Files.createDirectories(cps.dir().resolve("chk-10")); // the kill came before its _metadata

        Optional<RunCheckpoints.Found> found = cps.prepare("poll", false);

        assertThat(found)
                .get()
                .satisfies(
                        f -> {
                            assertThat(f.id).isEqualTo(9);
                            assertThat(f.describe())
                                    .isEqualTo("checkpoint 9 of 2026-12-06 05:21:07 UTC");
                        });
        assertThat(cps.dir().resolve("chk-9/_metadata")).exists();
        assertThat(cps.dir().resolve("chk-7")).doesNotExist();
        assertThat(cps.dir().resolve("chk-10")).doesNotExist();
        assertThat(Files.readString(cps.dir().resolve(RunCheckpoints.RUN_FILE)))
                .contains("mode=poll");
    }

    @Test
    void shouldStartFromEmptyStateWhenThereIsNoCompletedCheckpoint() throws Exception {
        RunCheckpoints cps = new RunCheckpoints(data);

        assertThat(cps.prepare("stream", false)).isEmpty();
        Files.createDirectories(cps.dir().resolve("chk-1"));
        assertThat(cps.prepare("stream", false)).isEmpty();
        assertThat(cps.dir().resolve("chk-1")).doesNotExist();
    }

    @Test
    void shouldRefuseACheckpointOfAnotherModeWithOneLineNamingTheWayOut() throws Exception {
        RunCheckpoints cps = new RunCheckpoints(data);
        cps.prepare("poll", false);
        checkpoint(4, T9);

        assertThatThrownBy(() -> cps.prepare("stream", false))
                .isInstanceOf(CommandException.class)
                .hasMessageContaining("checkpoint 4 of 2026-12-06 05:21:07 UTC of a poll-mode run")
                .hasMessageContaining("--fresh")
                .hasMessageNotContaining("\n");
        // nothing was deleted by the refusal
        assertThat(cps.dir().resolve("chk-4/_metadata")).exists();
    }

    @Test
    void shouldDeleteEveryCheckpointWithFresh() throws Exception {
        RunCheckpoints cps = new RunCheckpoints(data);
        cps.prepare("poll", false);
        checkpoint(4, T9);

        assertThat(cps.prepare("stream", true)).isEmpty();

        assertThat(cps.dir().resolve("chk-4")).doesNotExist();
        assertThat(Files.readString(cps.dir().resolve(RunCheckpoints.RUN_FILE)))
                .contains("mode=stream");
    }

    @Test
    void shouldWriteRetainedCheckpointsIntoTheDataDirectoryAndClaimTheOneItRestores()
            throws Exception {
        RunCheckpoints cps = new RunCheckpoints(data);
        checkpoint(3, T9);
        Configuration conf = new Configuration();

        cps.configure(conf, cps.prepare("poll", false));

        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(cps.dir().toUri().toString());
        assertThat(conf.get(CheckpointingOptions.CREATE_CHECKPOINT_SUB_DIR)).isFalse();
        assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(conf.get(StateRecoveryOptions.SAVEPOINT_PATH))
                .isEqualTo(cps.dir().resolve("chk-3").toUri().toString());
        assertThat(conf.get(StateRecoveryOptions.RESTORE_MODE)).isEqualTo(RecoveryClaimMode.CLAIM);
    }

    @Test
    void shouldTellTheModesOfPollStreamAndRawLogRunsApart() throws Exception {
        assertThat(RunCheckpoints.modeOf(RunOptions.parse(new String[] {}))).isEqualTo("poll");
        assertThat(RunCheckpoints.modeOf(RunOptions.parse(new String[] {"--mode", "stream"})))
                .isEqualTo("stream");
        assertThat(
                        RunCheckpoints.modeOf(
                                RunOptions.parse(
                                        new String[] {
                                            "--source",
                                            "kafka",
                                            "--kafka-bootstrap",
                                            "127.0.0.1:9092"
                                        })))
                .isEqualTo("poll from the Kafka raw log");
    }

    @Test
    void shouldAcceptFreshOnlyForRunsThatResume() throws Exception {
        assertThat(RunOptions.parse(new String[] {"--fresh"}).fresh).isTrue();
        Path capture = Files.writeString(data.resolve("c.jsonl"), "");
        assertThatThrownBy(
                        () ->
                                RunOptions.parse(
                                        new String[] {"--fresh", "--replay", capture.toString()}))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--fresh is for live runs");
    }

    @Test
    void shouldKeepCheckpointsOfARunAgainstAClickHouseServerInTheDataDirectory() throws Exception {
        RunOptions opts =
                RunOptions.parse(
                        new String[] {
                            "--clickhouse-url",
                            "jdbc:clickhouse://127.0.0.1:8123/default",
                            "--data-dir",
                            data.toString()
                        });

        assertThat(opts.dataDir).isEqualTo(data);
        assertThat(opts.resumable()).isTrue();
    }

    private void checkpoint(long id, Instant at) throws Exception {
        Path chk = data.resolve(RunCheckpoints.DIR).resolve("chk-" + id);
        Files.createDirectories(chk);
        Path metadata = Files.writeString(chk.resolve("_metadata"), "x");
        Files.setLastModifiedTime(metadata, FileTime.from(at));
    }
}
