package io.depthflow.job.cli;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;

import io.depthflow.job.options.RunOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints a live {@code bin/depthflow run} keeps in its data directory, so that a run
 * started again on the same directory continues where the last one stopped (killed, crashed,
 * Ctrl-C, or the machine rebooted).
 *
 * <p>Layout, under {@code <data-dir>/checkpoints/}:
 *
 * <ul>
 *   <li>{@code chk-N/} Flink's own checkpoint directories (no job-id level: a resumed run continues
 *       the numbering from the checkpoint it restored). A checkpoint is complete once its {@code
 *       _metadata} exists: Flink writes that file last.
 *   <li>{@code shared/}, {@code taskowned/}: Flink's.
 *   <li>{@code run.properties}: the mode of the run that writes them ({@code poll} or {@code
 *       stream}, and the source), because a stream-mode checkpoint cannot restore into a poll-mode
 *       job, nor the REST source's into the Kafka reader's.
 * </ul>
 *
 * <p>Flink keeps the latest completed checkpoint on cancel (Ctrl-C) and, of course, on a kill. The
 * new job restores it in claim mode: once its own first checkpoint completes, Flink deletes the one
 * it restored, so the directory holds one or two checkpoints at any time.
 */
final class RunCheckpoints {

    static final String DIR = "checkpoints";
    static final String RUN_FILE = "run.properties";
    private static final Pattern CHK = Pattern.compile("chk-(\\d+)");
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** A completed checkpoint found on disk. */
    static final class Found {
        final long id;
        final Path dir;
        final Instant completedAt;

        Found(long id, Path dir, Instant completedAt) {
            this.id = id;
            this.dir = dir;
            this.completedAt = completedAt;
        }

        /** "checkpoint 12 of 2026-12-06 05:21:07 UTC". */
        String describe() {
            return "checkpoint " + id + " of " + WHEN.format(completedAt);
        }
    }

    private final Path dir;

    RunCheckpoints(Path dataDir) {
        this.dir = dataDir.toAbsolutePath().resolve(DIR);
    }

    Path dir() {
        return dir;
    }

    /**
     * The mode written as {@code mode=} in {@code run.properties}, e.g. "poll" or "stream (kafka)".
     */
    static String modeOf(RunOptions opts) {
        String mode = opts.stream ? "stream" : "poll";
        return opts.readsRawLog() ? mode + " from the Kafka raw log" : mode;
    }

    /**
     * What this run restores: the latest completed checkpoint of an earlier run of the same mode,
     * or none ({@code fresh}, or nothing there). With {@code fresh}, the old checkpoints are
     * deleted. A checkpoint of another mode is a {@link CommandException}: restoring it would fail
     * and silently starting over would throw it away.
     */
    Optional<Found> prepare(String mode, boolean fresh) throws CommandException {
        try {
            if (fresh) {
                deleteRecursively(dir);
            }
            Files.createDirectories(dir);
            Optional<Found> latest = latest();
            if (latest.isPresent()) {
                String previous = readMode();
                if (previous != null && !previous.equals(mode)) {
                    throw new CommandException(
                            "run: "
                                    + dir
                                    + " holds "
                                    + latest.get().describe()
                                    + " of a "
                                    + previous
                                    + "-mode run; start it in that mode to resume it, or add --fresh to start over without it");
                }
                removeAllBut(latest.get().dir);
            } else {
                removeAllBut(null);
            }
            writeMode(mode);
            return latest;
        } catch (IOException e) {
            throw new CommandException(
                    "run: cannot use the checkpoint directory " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Checkpoints go to {@link #dir()}, are kept on cancel, and {@code from} is restored (claimed).
     */
    void configure(Configuration conf, Optional<Found> from) {
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
        conf.set(CheckpointingOptions.CREATE_CHECKPOINT_SUB_DIR, false);
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 1);
        from.ifPresent(
                f -> {
                    conf.set(StateRecoveryOptions.SAVEPOINT_PATH, f.dir.toUri().toString());
                    conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
                });
    }

    /** The completed checkpoint with the highest number, if any. */
    Optional<Found> latest() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> CHK.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .map(RunCheckpoints::found)
                    .flatMap(Optional::stream)
                    .max(Comparator.comparingLong(f -> f.id));
        }
    }

    private static Optional<Found> found(Path chk) {
        Matcher m = CHK.matcher(chk.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Instant at = Files.getLastModifiedTime(chk.resolve("_metadata")).toInstant();
            return Optional.of(new Found(Long.parseLong(m.group(1)), chk, at));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes every chk-N but {@code keep}: older ones and the incomplete one a kill left behind.
     */
    private void removeAllBut(Path keep) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, "chk-*")) {
            for (Path p : children) {
                if (!p.equals(keep)) {
                    deleteRecursively(p);
                }
            }
        }
    }

    private String readMode() throws IOException {
        Path f = dir.resolve(RUN_FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        }
        return p.getProperty("mode");
    }

    private void writeMode(String mode) throws IOException {
        Properties p = new Properties();
        p.setProperty("mode", mode);
        Path tmp = dir.resolve(RUN_FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(
                    out,
                    "written by bin/depthflow run: the mode of the run whose checkpoints are here");
        }
        Files.move(
                tmp,
                dir.resolve(RUN_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }
}
