package io.depthflow.job.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The standalone session cluster of {@code deploy/local/}, driven through the very scripts the
 * README tells users to run: {@code start-cluster.sh}, {@code submit.sh}, {@code
 * stop-with-savepoint.sh}, {@code resume.sh}, {@code stop-cluster.sh}. Queries that the scripts do
 * not cover (job state, checkpoint statistics, cancel) go to the same REST API directly.
 *
 * <p>Contract: {@link #start} returns once the TaskManager's slots are registered; {@link #close()}
 * stops both JVMs, and a JVM shutdown hook does the same if the test JVM is terminated before. The
 * scripts' stderr is appended to {@code <dir>/scripts.log}; a failing script fails with its tail.
 */
final class LocalFlinkCluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);

    private final Path root;
    private final Path dir;
    private final String restUrl;
    private final Thread stopOnExit;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalFlinkCluster(Path root, Path dir, String restUrl, Thread stopOnExit) {
        this.root = root;
        this.dir = dir;
        this.restUrl = restUrl;
        this.stopOnExit = stopOnExit;
    }

    /** The repository root: the nearest directory above the working directory with deploy/local. */
    static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("deploy/local/start-cluster.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "deploy/local/start-cluster.sh not found above "
                            + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /**
     * Starts a cluster in {@code dir} on free loopback ports with {@code
     * deploy/local/start-cluster.sh}.
     */
    static LocalFlinkCluster start(Path dir) throws IOException, InterruptedException {
        Path root = repositoryRoot();
        Files.createDirectories(dir);
        Thread stopOnExit = new Thread(() -> stopQuietly(root, dir), "local-flink-cluster-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            String url =
                    script(
                            root,
                            dir,
                            "start-cluster.sh",
                            "--dir",
                            dir.toString(),
                            "--rest-port",
                            String.valueOf(freePort()),
                            "--rpc-port",
                            String.valueOf(freePort()));
            return new LocalFlinkCluster(root, dir, url, stopOnExit);
        } catch (IOException | RuntimeException e) {
            stopQuietly(root, dir);
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
            throw e;
        }
    }

    String restUrl() {
        return restUrl;
    }

    Path dir() {
        return dir;
    }

    /** {@code submit.sh}: uploads the shaded jar, runs it with {@code runArgs}; the job id. */
    String submit(int parallelism, List<String> runArgs) throws IOException, InterruptedException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--dir",
                                dir.toString(),
                                "--parallelism",
                                String.valueOf(parallelism),
                                "--"));
        args.addAll(runArgs);
        return script(root, dir, "submit.sh", args.toArray(new String[0]));
    }

    /** {@code stop-with-savepoint.sh}: the savepoint's location, once the job has finished. */
    String stopWithSavepoint(String jobId) throws IOException, InterruptedException {
        return script(root, dir, "stop-with-savepoint.sh", "--dir", dir.toString(), jobId);
    }

    /** {@code resume.sh}: the jar again, from {@code savepoint}, all state restored; the job id. */
    String resume(String savepoint, int parallelism, List<String> runArgs)
            throws IOException, InterruptedException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--dir",
                                dir.toString(),
                                "--parallelism",
                                String.valueOf(parallelism),
                                savepoint,
                                "--"));
        args.addAll(runArgs);
        return script(root, dir, "resume.sh", args.toArray(new String[0]));
    }

    /** {@code taskmanager.sh start}: one more TaskManager, registered; its pid. */
    long startTaskManager() throws IOException, InterruptedException {
        return Long.parseLong(
                script(root, dir, "taskmanager.sh", "start", "--dir", dir.toString()));
    }

    /** The pid of the first TaskManager, which {@code start-cluster.sh} started. */
    long firstTaskManagerPid() throws IOException {
        return Long.parseLong(
                Files.readString(dir.resolve("taskmanager-1.pid"), StandardCharsets.UTF_8).trim());
    }

    /** {@code GET /jobs/{id}}: e.g. RUNNING, FINISHED, CANCELED. */
    String jobState(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** {@code GET /jobs/{id}/vertices}: true once every task of the job runs. */
    boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
        JsonNode vertices = get("/jobs/" + jobId).path("vertices");
        if (!vertices.isArray() || vertices.isEmpty()) {
            return false;
        }
        for (JsonNode v : vertices) {
            if (!"RUNNING".equals(v.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    /** {@code GET /jobs/{id}/checkpoints}: counts, latest completed and restored checkpoint. */
    JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    /** {@code PATCH /jobs/{id}?mode=cancel}, then waits until the job is CANCELED. */
    void cancel(String jobId) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(restUrl + "/jobs/" + jobId + "?mode=cancel"))
                                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("cancel " + jobId + ": HTTP " + r.statusCode() + " " + r.body());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!"CANCELED".equals(jobState(jobId))) {
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "job " + jobId + " not CANCELED after 60 s: " + jobState(jobId));
            }
            Thread.sleep(200);
        }
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(restUrl + path))
                                .timeout(Duration.ofSeconds(30))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** {@code stop-cluster.sh}: stops both JVMs (pid files in the directory). */
    @Override
    public void close() throws IOException, InterruptedException {
        // A test that timed out arrives here interrupted: stop the cluster all the same.
        boolean interrupted = Thread.interrupted();
        try {
            script(root, dir, "stop-cluster.sh", "--dir", dir.toString());
            // only once it is stopped: otherwise the hook still stops it when the JVM exits
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run; nothing left to do
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void stopQuietly(Path root, Path dir) {
        try {
            script(root, dir, "stop-cluster.sh", "--dir", dir.toString());
        } catch (Exception e) {
            // best effort: also runs from a shutdown hook
        }
    }

    /**
     * Runs {@code deploy/local/<name>}; its last non-empty stdout line, or an exception with its
     * stderr.
     */
    private static String script(Path root, Path dir, String name, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("deploy/local").resolve(name).toString());
        command.addAll(List.of(args));
        Path log = dir.resolve("scripts.log");
        Path err = Files.createTempFile(dir, name, ".err");
        Process p =
                new ProcessBuilder(command)
                        .directory(root.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.writeString(
                log,
                "$ " + String.join(" ", command) + "\n" + stderr,
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        Files.delete(err);
        if (!done || p.exitValue() != 0) {
            throw new IOException(
                    name
                            + " "
                            + (done ? "exited with " + p.exitValue() : "timed out")
                            + ":\n"
                            + stderr
                            + out);
        }
        String last = "";
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                last = line.trim();
            }
        }
        return last;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
