package io.depthflow.clickhouse.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lifecycle of the server process: start, discovery, persistence, exclusivity, shutdown. */
class EmbeddedClickHouseTest {

    @TempDir Path dataDir;

    @Test
    void shouldAdvertiseItselfWhileRunningAndKeepDataAcrossRestarts() throws Exception {
        long pid;
        try (EmbeddedClickHouse server = EmbeddedClickHouse.start(dataDir)) {
            pid = server.pid();
            assertThat(server.jdbcUrl())
                    .isEqualTo(
                            "jdbc:clickhouse://127.0.0.1:" + server.port() + "/default?compress=0");
            assertThat(EmbeddedClickHouse.runningServerUrl(dataDir)).hasValue(server.jdbcUrl());
            assertThat(Files.readString(dataDir.resolve(EmbeddedClickHouse.LOG_FILE)))
                    .contains("READY port=" + server.port());
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "default", "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (n UInt32) ENGINE = MergeTree ORDER BY n");
                s.execute("INSERT INTO kept VALUES (7), (11)");
            }
        }
        assertThat(isAlive(pid)).isFalse();
        assertThat(dataDir.resolve(".depthflow-clickhouse")).doesNotExist();
        assertThat(EmbeddedClickHouse.runningServerUrl(dataDir)).isEmpty();

        try (EmbeddedClickHouse restarted = EmbeddedClickHouse.start(dataDir);
                Connection c = DriverManager.getConnection(restarted.jdbcUrl(), "default", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sum(n) FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(18);
        }
    }

    @Test
    void shouldRefuseASecondServerOnTheSameDataDirectory() throws Exception {
        try (EmbeddedClickHouse first = EmbeddedClickHouse.start(dataDir)) {
            assertThatThrownBy(() -> EmbeddedClickHouse.start(dataDir))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("exited with code 3 before it was ready")
                    .hasMessageContaining("is in use by another ClickHouse server");
            assertThat(EmbeddedClickHouse.runningServerUrl(dataDir)).hasValue(first.jdbcUrl());
        }
    }

    @Test
    void shouldStopTheServerWhenTheJvmThatStartedItDies() throws Exception {
        Process parent =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                StartAndHang.class.getName(),
                                dataDir.toString())
                        .redirectErrorStream(true)
                        .start();
        long serverPid;
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("SERVER_PID="));
            assertThat(line).as("the parent JVM's output").isNotNull();
            serverPid = Long.parseLong(line.substring("SERVER_PID=".length()));
        } finally {
            parent.destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
        }
        ProcessHandle server = ProcessHandle.of(serverPid).orElse(null);
        if (server != null) {
            server.onExit().get(15, TimeUnit.SECONDS);
        }
        assertThat(isAlive(serverPid)).isFalse();
        assertThat(EmbeddedClickHouse.runningServerUrl(dataDir)).isEmpty();
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * A JVM that starts a server and then waits to be killed; it exits by itself when the test JVM
     * goes away (its stdin closes), so an aborted test run leaves nothing behind.
     */
    public static final class StartAndHang {
        public static void main(String[] args) throws Exception {
            EmbeddedClickHouse server = EmbeddedClickHouse.start(Path.of(args[0]));
            System.out.println("SERVER_PID=" + server.pid());
            System.out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
            server.close();
        }
    }
}
