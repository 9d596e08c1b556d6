package io.depthflow.job.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged command line tool ({@code cli/target/depthflow-cli.jar}, what bin/depthflow runs)
 * holds what the job jar leaves out: the CLI, the simulator's servers with Java-WebSocket, the
 * embedded ClickHouse with JNA; and the job itself. Runs after {@code package} (failsafe).
 */
class CliJarContentsE2ECase {

    @Test
    void shouldHoldTheCommandLineToolTheSimulatorTheEmbeddedClickHouseAndTheJob()
            throws IOException {
        Path jar = RepoFiles.file("cli/target/depthflow-cli.jar");
        assertThat(jar).as("run after ./mvnw package").isRegularFile();
        List<String> entries;
        try (JarFile j = new JarFile(jar.toFile())) {
            entries = j.stream().map(ZipEntry::getName).toList();
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.depthflow.job.cli.Main");
        }
        assertThat(entries)
                .contains(
                        "io/depthflow/job/cli/Main.class",
                        "io/depthflow/sources/simulator/ExchangeSimulator.class",
                        "io/depthflow/sources/simulator/StreamSimulator.class",
                        "io/depthflow/clickhouse/embedded/EmbeddedClickHouse.class",
                        "io/depthflow/clickhouse/embedded/ChdbHttpServer.class",
                        "org/java_websocket/server/WebSocketServer.class",
                        "com/sun/jna/Native.class",
                        "io/depthflow/job/DepthflowJob.class",
                        "io/depthflow/sources/ws/WsBookSource.class",
                        "io/depthflow/clickhouse/ClickHouseSink.class");
    }
}
