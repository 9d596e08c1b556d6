package io.depthflow.job.testing;

import io.depthflow.testing.kafka.BrokerMain;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Kafka of a test JVM: one real Apache Kafka broker (KRaft, combined broker and controller),
 * started on first use and shared by every test class.
 *
 * <pre>{@code
 * @ExtendWith(KafkaTestBroker.class)   // optional: start it before the class, not in a test
 * class MyKafkaITCase {
 *     @Test
 *     void shouldRoundTrip() throws Exception {
 *         String topic = KafkaTestBroker.createTopic("my-test", 3);   // unique name, 3 partitions
 *         ... KafkaSink.builder().setBootstrapServers(KafkaTestBroker.bootstrapServers()) ...
 *     }
 * }
 * }</pre>
 *
 * <p>Which broker:
 *
 * <ul>
 *   <li>When the environment variable {@value #ENV_BOOTSTRAP} is set ({@code host:port,...}), that
 *       cluster is used and nothing is started. Tests create topics with unique names there.
 *   <li>Otherwise a broker in a forked JVM: {@code kafka_2.13} from Maven Central on the class path
 *       that the {@code testing/kafka-broker} module resolved (its jars never join this JVM's class
 *       path, so the broker's Kafka and Jackson versions cannot clash with the connector's
 *       kafka-clients), listening on 127.0.0.1 on free ports, with a fresh temporary log directory.
 *       It is ready in about 5 s; readiness is a successful {@code describeCluster}.
 * </ul>
 *
 * <p>Stopping: after the last test of the run (a resource in JUnit's root store), or at the latest
 * in a JVM shutdown hook: SIGTERM, then a kill after {@value #STOP_TIMEOUT_SECONDS} s, then the
 * temporary directory is deleted. Should this JVM die without running hooks (SIGKILL), the broker
 * notices the end of its standard input, a pipe from this JVM, and exits by itself ({@link
 * BrokerMain}). The broker's output is in {@code <tmp>/broker.log}; its path is in failure
 * messages.
 */
public final class KafkaTestBroker implements BeforeAllCallback {

    /** Environment variable naming an external cluster to test against instead. */
    public static final String ENV_BOOTSTRAP = "KAFKA_BOOTSTRAP";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTestBroker.class);

    private static final String CLASSPATH_RESOURCE =
            "/io/depthflow/testing/kafka/broker-classpath.txt";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int STOP_TIMEOUT_SECONDS = 10;
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_CHARS = 4000;

    private static String bootstrapServers;
    private static ForkedBroker forked;

    /** Starts the broker (if needed) before the annotated class; stops it after the whole run. */
    @Override
    public void beforeAll(ExtensionContext context) {
        bootstrapServers();
        if (forked != null) {
            // closed by JUnit after every test of the run has finished
            context.getRoot()
                    .getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(ForkedBroker.class, k -> forked, ForkedBroker.class);
        }
    }

    /** {@code host:port} of the test cluster, starting the forked broker on first use. */
    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            String external = System.getenv(ENV_BOOTSTRAP);
            if (external != null && !external.isBlank()) {
                bootstrapServers = external.trim();
            } else {
                forked = ForkedBroker.startWithRetries();
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(forked::close, "kafka-test-broker-stop"));
                bootstrapServers = forked.bootstrapServers;
            }
        }
        return bootstrapServers;
    }

    /**
     * Creates a topic named {@code prefix} plus a random suffix, with {@code partitions} partitions
     * and replication factor 1, and returns its name.
     */
    public static String createTopic(String prefix, int partitions) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    /** An admin client for the test cluster; the caller closes it. */
    public static Admin admin() {
        return Admin.create(
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers(),
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        30_000));
    }

    /** A broker in a child JVM. */
    private static final class ForkedBroker implements ExtensionContext.Store.CloseableResource {
        private final Process process;
        private final Path dir;
        private final Path log;
        private final String bootstrapServers;
        private boolean closed;

        private ForkedBroker(Process process, Path dir, Path log, String bootstrapServers) {
            this.process = process;
            this.dir = dir;
            this.log = log;
            this.bootstrapServers = bootstrapServers;
        }

        /**
         * Free ports are picked before the broker binds them: another process may take one first.
         */
        static ForkedBroker startWithRetries() {
            for (int attempt = 1; ; attempt++) {
                try {
                    return start(attempt < START_ATTEMPTS);
                } catch (IllegalStateException e) {
                    if (attempt == START_ATTEMPTS) {
                        throw e;
                    }
                    LOG.warn(
                            "Kafka test broker did not start (attempt {} of {}), retrying: {}",
                            attempt,
                            START_ATTEMPTS,
                            e.getMessage());
                }
            }
        }

        private static ForkedBroker start(boolean deleteOnFailure) {
            Path dir;
            try {
                dir = Files.createTempDirectory("depthflow-kafka-test-");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the test broker's directory", e);
            }
            Path log = dir.resolve("broker.log");
            Process process = null;
            try {
                int brokerPort = freePort();
                int controllerPort = freePort();
                Path properties = dir.resolve("server.properties");
                Files.writeString(
                        properties,
                        serverProperties(dir.resolve("logs"), brokerPort, controllerPort));
                Path log4j = dir.resolve("log4j2.properties");
                Files.writeString(log4j, LOG4J);

                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.add("-Xms256m");
                command.add("-Xmx512m");
                command.add("-XX:+UseSerialGC");
                command.add("-Djava.io.tmpdir=" + dir);
                command.add("-Dlog4j2.configurationFile=" + log4j.toUri());
                command.add("-cp");
                command.add(brokerClassPath());
                command.add(BrokerMain.class.getName());
                command.add(clusterId());
                command.add(properties.toString());

                long started = System.nanoTime();
                process =
                        new ProcessBuilder(command)
                                .redirectErrorStream(true)
                                .redirectOutput(log.toFile())
                                .start();
                // stdin stays open: the broker treats its end as this JVM having died.
                String bootstrap = "127.0.0.1:" + brokerPort;
                awaitReady(process, bootstrap, log);
                LOG.info(
                        "Kafka test broker at {} (pid {}, {} ms, log {})",
                        bootstrap,
                        process.pid(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                        log);
                return new ForkedBroker(process, dir, log, bootstrap);
            } catch (IOException | RuntimeException e) {
                if (process != null) {
                    stop(process);
                }
                String output = tail(log);
                if (deleteOnFailure) {
                    deleteQuietly(dir);
                }
                throw new IllegalStateException(
                        "Could not start the Kafka test broker: "
                                + e.getMessage()
                                + "\nIts output ("
                                + log
                                + "):\n"
                                + output,
                        e);
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            stop(process);
            deleteQuietly(dir);
        }

        private static void stop(Process process) {
            process.destroy(); // SIGTERM: Kafka's own shutdown hook stops it cleanly
            try {
                if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        private static void awaitReady(Process process, String bootstrap, Path log)
                throws IOException {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            // first the log line (cheap), then a real request
            while (!new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
                    .contains("Kafka Server started")) {
                if (!process.isAlive()) {
                    throw new IOException(
                            "the broker exited with code "
                                    + process.exitValue()
                                    + " before it was ready");
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(
                            "the broker was not ready within " + START_TIMEOUT.toSeconds() + " s");
                }
                sleep(50);
            }
            try (Admin admin =
                    Admin.create(
                            Map.of(
                                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    bootstrap,
                                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                    (int) START_TIMEOUT.toMillis()))) {
                admin.describeCluster()
                        .nodes()
                        .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the broker", e);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("the broker does not answer describeCluster: " + e, e);
            }
        }

        private static String serverProperties(Path logDir, int brokerPort, int controllerPort) {
            return String.join(
                    "\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:"
                            + brokerPort
                            + ",CONTROLLER://127.0.0.1:"
                            + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + logDir,
                    "num.partitions=1",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "transaction.state.log.num.partitions=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "");
        }

        private static final String LOG4J =
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.out.ref = Out",
                        "appender.out.name = Out",
                        "appender.out.type = Console",
                        "appender.out.layout.type = PatternLayout",
                        "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                        "logger.kafka-request.name = kafka.request.logger",
                        "logger.kafka-request.level = WARN",
                        "");

        /**
         * The broker's jars (resolved by Maven when testing/kafka-broker was built) and the
         * launcher.
         */
        private static String brokerClassPath() throws IOException {
            String jars;
            try (InputStream in = KafkaTestBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
                if (in == null) {
                    throw new IOException(
                            CLASSPATH_RESOURCE
                                    + " is not on the test class path; build with the Maven reactor"
                                    + " (./mvnw -pl job -am ...) so that testing/kafka-broker writes it");
                }
                jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            try {
                Path launcher =
                        Path.of(
                                BrokerMain.class
                                        .getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI());
                return jars + java.io.File.pathSeparator + launcher;
            } catch (URISyntaxException e) {
                throw new IOException("Cannot locate " + BrokerMain.class.getName(), e);
            }
        }

        /**
         * A KRaft cluster id: 16 random bytes, base64url without padding, not starting with '-'.
         */
        private static String clusterId() {
            while (true) {
                UUID uuid = UUID.randomUUID();
                ByteBuffer bytes =
                        ByteBuffer.allocate(16)
                                .putLong(uuid.getMostSignificantBits())
                                .putLong(uuid.getLeastSignificantBits());
                String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
                if (!id.startsWith("-")) {
                    return id;
                }
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }

    private static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            return text.length() <= LOG_TAIL_CHARS
                    ? text
                    : text.substring(text.length() - LOG_TAIL_CHARS);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the broker", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temporary directory is harmless
        }
    }
}
