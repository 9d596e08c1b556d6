package io.depthflow.job.cli;

import io.depthflow.job.options.UsageException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per data directory: {@code run} and {@code demo} hold an OS file lock on {@code
 * <data-dir>/depthflow.lock} for as long as they run, and write their pid into it so that a second
 * writer can name the process it was refused for. Two runs on one directory would otherwise share
 * its embedded ClickHouse and checkpoints and overwrite each other's minutes.
 *
 * <p>Stale-lock aware by construction: the lock is the OS's ({@link FileChannel#tryLock()}), which
 * vanishes with the process that held it, however it ended; a file left behind by a killed run is
 * no obstacle and is simply locked again. Readers ({@code sql}, {@code dashboard}) do not take it:
 * they reuse the running job's embedded ClickHouse. The lock is per process; a second attempt from
 * the same JVM is refused too.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE = "depthflow.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dataDir} (created if missing) for {@code command}, or throws a {@link
     * UsageException} naming the process that holds it.
     */
    static DataDirLock acquire(Path dataDir, String command)
            throws UsageException, CommandException {
        Path file = dataDir.resolve(FILE);
        FileChannel ch;
        try {
            Files.createDirectories(dataDir);
            ch =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new CommandException(
                    command
                            + ": cannot use the data directory "
                            + dataDir
                            + ": "
                            + Messages.cause(e));
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        } catch (IOException e) {
            close(ch);
            throw new CommandException(
                    command + ": cannot lock " + file + ": " + Messages.cause(e));
        }
        if (lock == null) {
            String holder = holder(ch);
            close(ch);
            throw new UsageException(
                    command
                            + ": the data directory "
                            + dataDir
                            + " is in use by "
                            + (holder.isEmpty() ? "another depthflow process" : holder)
                            + "; stop it first, or give another --data-dir (bin/depthflow sql --data-dir "
                            + dataDir
                            + " reads it while it runs)");
        }
        try {
            String text = ProcessHandle.current().pid() + " " + command + "\n";
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
        } catch (IOException e) {
            // the lock holds without the pid text; a refused second run then says less
        }
        return new DataDirLock(ch, lock);
    }

    /**
     * The holder as the lock file names it ({@code 1234 run}, pid and command), in words: {@code
     * depthflow run (pid 1234)}; "" when the file says nothing usable.
     */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(256);
            int n = ch.read(buf, 0);
            String[] text =
                    n <= 0
                            ? new String[0]
                            : new String(buf.array(), 0, n, StandardCharsets.UTF_8)
                                    .strip()
                                    .split("\\s+");
            if (text.length == 0 || !text[0].matches("\\d+")) {
                return "";
            }
            return "depthflow " + (text.length > 1 ? text[1] + " " : "") + "(pid " + text[0] + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing held
        }
    }

    /** Releases the lock; the file stays (the next run locks it again). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // released with the channel
        }
        close(channel);
    }
}
