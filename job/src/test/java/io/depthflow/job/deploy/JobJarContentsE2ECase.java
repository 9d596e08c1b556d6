package io.depthflow.job.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged job jar ({@code job/target/depthflow-job.jar}, what users submit to a Flink cluster,
 * docker-compose mounts and the Kubernetes image copies) holds the job and nothing of the local
 * tools: neither the exchange simulator's servers with Java-WebSocket, nor the embedded ClickHouse
 * with JNA and its native libraries, nor the command line tool; and none of its own classes refers
 * to them. Runs after {@code package} (failsafe), on the jar the build just wrote.
 */
class JobJarContentsE2ECase {

    /** Entry prefixes the job jar must not have: the local tools and their libraries. */
    static final List<String> LOCAL_TOOLS =
            List.of(
                    "org/java_websocket/",
                    "com/sun/jna/",
                    "io/depthflow/sources/simulator/ExchangeSimulator",
                    "io/depthflow/sources/simulator/StreamSimulator",
                    "io/depthflow/clickhouse/embedded/",
                    "io/depthflow/job/cli/");

    private static Path jar;
    private static List<String> entries;

    @BeforeAll
    static void open() throws IOException {
        jar = RepoFiles.file("job/target/depthflow-job.jar");
        assertThat(jar).as("run after ./mvnw package").isRegularFile();
        entries = entries(jar);
    }

    @Test
    void shouldHoldTheJobItsSourcesAndItsSinks() throws IOException {
        assertThat(entries)
                .contains(
                        "io/depthflow/job/DepthflowJob.class",
                        "io/depthflow/job/DepthflowMigrate.class",
                        "io/depthflow/job/PollWorkflow.class",
                        "io/depthflow/job/StreamWorkflow.class",
                        "io/depthflow/sources/rest/RestBookSource.class",
                        "io/depthflow/sources/ws/WsBookSource.class",
                        "io/depthflow/sources/venue/coinbase/CoinbaseVenue.class",
                        "io/depthflow/sources/venue/bitfinex/BitfinexVenue.class",
                        "io/depthflow/clickhouse/ClickHouseSink.class",
                        "io/depthflow/clickhouse/Migrations.class",
                        "db/migrations/index.txt",
                        "com/clickhouse/jdbc/ClickHouseDriver.class",
                        "org/apache/flink/connector/kafka/sink/KafkaSink.class");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.depthflow.job.DepthflowJob");
        }
    }

    @Test
    void shouldHoldNeitherTheSimulatorNorTheEmbeddedClickHouseNorTheCommandLineTool() {
        for (String prefix : LOCAL_TOOLS) {
            assertThat(entries).as("entries under " + prefix).noneMatch(e -> e.startsWith(prefix));
        }
    }

    @Test
    void shouldHaveNoDepthflowClassThatRefersToWhatIsNotInTheJar() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            for (String name : entries) {
                if (!name.startsWith("io/depthflow/") || !name.endsWith(".class")) {
                    continue;
                }
                ZipEntry e = j.getEntry(name);
                String constants;
                try (InputStream in = j.getInputStream(e)) {
                    // class names in the constant pool are plain ASCII in modified UTF-8
                    constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
                for (String prefix : LOCAL_TOOLS) {
                    if (constants.contains(prefix)) {
                        offenders.add(name + " -> " + prefix);
                    }
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    static List<String> entries(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().map(ZipEntry::getName).toList();
        }
    }
}
