package io.depthflow.clickhouse.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the ClickHouse engine library ({@code libchdb.so}, chDB {@value #VERSION}) and fetches it
 * once when it is missing.
 *
 * <p>Resolution order:
 *
 * <ol>
 *   <li>the environment variable {@code DEPTHFLOW_CHDB_LIB}: an existing file, used as is (never
 *       fetched; a missing file is an error);
 *   <li>the cache {@code ${DEPTHFLOW_CACHE_DIR:-$HOME/.cache/depthflow}/chdb/26.5.3/libchdb.so};
 *   <li>otherwise it is fetched into that cache with {@code npm pack
 *       @chdb/lib-linux-x64-gnu@26.5.3} (npm must be on the PATH) and {@code tar xzf}, then moved
 *       into place atomically. A progress line goes to stderr, because the download is about 166
 *       MB and unpacks to about 560 MB.
 * </ol>
 *
 * <p>Concurrent callers (threads or processes, for example parallel test JVMs) are serialized by a
 * file lock next to the cache entry, so the library is fetched at most once.
 *
 * <p>The package exists for Linux x86-64 with glibc only; on other platforms {@link #locate()}
 * fails with a message pointing to {@code DEPTHFLOW_CHDB_LIB} and to using a real ClickHouse
 * server instead.
 */
public final class ChdbLibrary {

    /** The chDB npm package version that this code is written and tested against. */
    public static final String VERSION = "26.5.3";

    /** The npm package holding {@code libchdb.so}. */
    public static final String NPM_PACKAGE = "@chdb/lib-linux-x64-gnu@" + VERSION;

    /** Environment variable naming an existing {@code libchdb.so} to use instead of the cache. */
    public static final String ENV_LIB = "DEPTHFLOW_CHDB_LIB";

    /** Environment variable overriding the cache root ({@code $HOME/.cache/depthflow}). */
    public static final String ENV_CACHE_DIR = "DEPTHFLOW_CACHE_DIR";

    private static final String LIB_NAME = "libchdb.so";
    private static final long FETCH_TIMEOUT_MINUTES = 15;

    private ChdbLibrary() {}

    /**
     * Returns the path of {@code libchdb.so}, fetching it into the cache first if needed.
     *
     * @throws IOException if the library is not there and cannot be fetched
     */
    public static Path locate() throws IOException {
        return locate(System.getenv());
    }

    /** {@link #locate()} against an explicit environment; visible for tests of the fetch path. */
    static Path locate(Map<String, String> env) throws IOException {
        String explicit = env.get(ENV_LIB);
        if (explicit != null && !explicit.isBlank()) {
            Path lib = Path.of(explicit);
            if (!Files.isRegularFile(lib)) {
                throw new IOException(ENV_LIB + " points to " + lib + ", which is not a file");
            }
            return lib;
        }
        Path cached = cachedPath(env);
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        checkPlatform();
        fetch(cached);
        return cached;
    }

    /** Where the cached library lives for the given environment (it may not exist yet). */
    static Path cachedPath(Map<String, String> env) {
        String root = env.get(ENV_CACHE_DIR);
        Path cacheRoot =
                root != null && !root.isBlank()
                        ? Path.of(root)
                        : Path.of(System.getProperty("user.home"), ".cache", "depthflow");
        return cacheRoot.resolve("chdb").resolve(VERSION).resolve(LIB_NAME);
    }

    private static void checkPlatform() throws IOException {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IOException(
                    "The embedded ClickHouse (chDB) is only available for Linux x86-64 (glibc), not"
                            + " "
                            + os
                            + "/"
                            + arch
                            + ". Set "
                            + ENV_LIB
                            + " to a libchdb.so, or use a real ClickHouse server"
                            + " (CLICKHOUSE_URL).");
        }
    }

    /**
     * Fetches the library into {@code target} under an exclusive file lock. Synchronized because a
     * JVM may hold a given file lock only once; the lock itself serializes processes.
     */
    private static synchronized void fetch(Path target) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path lockFile = dir.resolve(LIB_NAME + ".lock");
        try (FileChannel channel =
                        FileChannel.open(
                                lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            if (Files.isRegularFile(target)) {
                return; // another process fetched it while we waited for the lock
            }
            System.err.printf(
                    "depthflow: fetching the ClickHouse engine (chDB %s, ~166 MB) via npm, once"
                            + " ...%n",
                    VERSION);
            long started = System.nanoTime();
            Path work = Files.createTempDirectory(dir, "fetch-");
            try {
                run(work, List.of("npm", "pack", "--silent", NPM_PACKAGE));
                Path tarball;
                try (Stream<Path> files = Files.list(work)) {
                    tarball =
                            files.filter(p -> p.getFileName().toString().endsWith(".tgz"))
                                    .findFirst()
                                    .orElseThrow(
                                            () ->
                                                    new IOException(
                                                            "npm pack "
                                                                    + NPM_PACKAGE
                                                                    + " produced no .tgz in "
                                                                    + work));
                }
                run(
                        work,
                        List.of(
                                "tar",
                                "xzf",
                                tarball.getFileName().toString(),
                                "package/" + LIB_NAME));
                Path unpacked = work.resolve("package").resolve(LIB_NAME);
                if (!Files.isRegularFile(unpacked)) {
                    throw new IOException(tarball + " does not contain package/" + LIB_NAME);
                }
                Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteRecursively(work);
            }
            System.err.printf(
                    "depthflow: fetching the ClickHouse engine done in %d s (%s)%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), target);
        }
    }

    private static void run(Path workDir, List<String> command) throws IOException {
        Path output = workDir.resolve("command-output.log");
        Process process =
                new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
        try {
            if (!process.waitFor(FETCH_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(
                        String.join(" ", command)
                                + " did not finish within "
                                + FETCH_TIMEOUT_MINUTES
                                + " minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running " + String.join(" ", command), e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(
                    String.join(" ", command)
                            + " failed with exit code "
                            + process.exitValue()
                            + ": "
                            + Files.readString(output, StandardCharsets.UTF_8).strip());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.delete(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
