package io.depthflow.clickhouse.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
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
 *   <li>the cache {@code ${DEPTHFLOW_CACHE_DIR:-$HOME/.cache/depthflow}/chdb/26.5.3/libchdb.so}
 *       ({@code $HOME} as the shell has it; Java's {@code user.home}, the account's home directory,
 *       only when {@code HOME} is not set);
 *   <li>otherwise the npm package {@code @chdb/lib-linux-x64-gnu@26.5.3} is downloaded from the npm
 *       registry over HTTPS, checked against its pinned sha512 integrity, and its {@code
 *       libchdb.so} unpacked with {@code tar xzf} and moved into place atomically. The download is
 *       about 159 MB (unpacked about 534 MB), so stderr shows it moving: a line per 10 % with the
 *       bytes of the total. When the registry cannot be reached directly (a mirror or proxy that
 *       only npm is configured for), {@code npm pack} fetches the same package instead.
 * </ol>
 *
 * <p>Concurrent callers (threads or processes, for example parallel test JVMs) are serialized by a
 * file lock next to the cache entry, so the library is fetched at most once.
 *
 * <p>The package exists for Linux x86-64 with glibc only; on other platforms {@link #locate()}
 * fails with a message pointing to {@code DEPTHFLOW_CHDB_LIB} and to using a real ClickHouse server
 * instead.
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

    /**
     * The package's tarball on the npm registry and its integrity (npm's {@code dist.integrity}).
     */
    static final String TARBALL_URL =
            "https://registry.npmjs.org/@chdb/lib-linux-x64-gnu/-/lib-linux-x64-gnu-"
                    + VERSION
                    + ".tgz";

    static final String TARBALL_SHA512 =
            "fPrLmRt5Moor9yGz4mazbrNje4t7X9KB2mTGkXFWRxRBs2iKy8yh6jx11xsa0Qr3iDFMU/yHqd+bVdYJXu3QaQ==";

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
        String home = env.get("HOME");
        Path cacheRoot =
                root != null && !root.isBlank()
                        ? Path.of(root)
                        : Path.of(
                                home != null && !home.isBlank()
                                        ? home
                                        : System.getProperty("user.home"),
                                ".cache",
                                "depthflow");
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
                    "depthflow: fetching the ClickHouse engine (chDB %s, 159 MB download, 534 MB"
                            + " unpacked) into %s, once ...%n",
                    VERSION, dir);
            long started = System.nanoTime();
            Path work = Files.createTempDirectory(dir, "fetch-");
            try {
                try {
                    download(work.resolve("chdb.tgz"));
                } catch (IOException direct) {
                    System.err.printf(
                            "depthflow: the npm registry did not answer directly (%s); trying npm"
                                    + " pack%n",
                            direct.getMessage());
                    Files.deleteIfExists(work.resolve("chdb.tgz"));
                    run(work, List.of("npm", "pack", "--silent", NPM_PACKAGE));
                }
                System.err.println("depthflow: unpacking libchdb.so ...");
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

    /**
     * Downloads the package's tarball into {@code target}, one progress line per 10 % on stderr,
     * and checks it against {@link #TARBALL_SHA512}.
     */
    private static void download(Path target) throws IOException {
        HttpClient http =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(20))
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(TARBALL_URL))
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new IOException(
                    TARBALL_URL
                            + ": "
                            + (e.getMessage() == null
                                    ? e.getClass().getSimpleName()
                                    : e.getMessage()),
                    e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException(TARBALL_URL + ": HTTP " + response.statusCode());
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        MessageDigest sha512;
        try {
            sha512 = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        long done = 0;
        int toldTenths = 0;
        long started = System.nanoTime();
        try (InputStream in = response.body();
                OutputStream out = Files.newOutputStream(target)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                sha512.update(buf, 0, n);
                done += n;
                int tenths = total > 0 ? (int) (done * 10 / total) : 0;
                if (tenths > toldTenths && tenths < 10) {
                    toldTenths = tenths;
                    System.err.println(progress(done, total, System.nanoTime() - started));
                }
            }
        }
        System.err.println(progress(done, total, System.nanoTime() - started));
        String got = Base64.getEncoder().encodeToString(sha512.digest());
        if (!got.equals(TARBALL_SHA512)) {
            throw new IOException(
                    TARBALL_URL
                            + " does not match its pinned sha512 integrity ("
                            + done
                            + " bytes received)");
        }
    }

    /** {@code depthflow: ClickHouse engine 48 MB of 159 MB (30 %, 6 s)}. */
    static String progress(long done, long total, long elapsedNanos) {
        long mb = 1024 * 1024;
        return "depthflow: ClickHouse engine "
                + (done + mb / 2) / mb
                + " MB"
                + (total > 0
                        ? " of " + (total + mb / 2) / mb + " MB (" + done * 100 / total + " %, "
                        : " (")
                + TimeUnit.NANOSECONDS.toSeconds(elapsedNanos)
                + " s)";
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
