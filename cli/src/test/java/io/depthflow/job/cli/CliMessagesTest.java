package io.depthflow.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.job.options.UsageException;
import io.depthflow.sources.capture.CaptureFormatException;
import io.depthflow.sources.capture.CaptureReader;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.StreamSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad input of issue 13 for {@code simulate}, {@code sql}, {@code quote}, {@code record} and
 * {@code verify}: one line on stderr naming the cause in words (never {@code null}, a stack trace,
 * Jackson's source excerpt or a repeated prefix), exit 1 for bad input and 2 for bad arguments. The
 * ones that need a ClickHouse server are in {@link SqlCommandITCase}.
 */
class CliMessagesTest {

    @TempDir Path dir;

    record Result(int code, String out, String err) {
        /**
         * The last line of stderr: the command's error line (progress and summaries come before
         * it).
         */
        String errorLine() {
            String[] lines = err.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    static Result exec(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Main.execute(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * One line, the prefix of the command, no trace of a stack, an exception class, null or
     * Jackson.
     */
    static void assertOneClearLine(String line, String command) {
        assertThat(line)
                .startsWith("depthflow " + command + ": ")
                .doesNotContain("\n")
                .doesNotContain("\tat ")
                .doesNotContain("Exception:")
                .doesNotContain("null")
                .doesNotContain("[Source:")
                .doesNotContain("REDACTED")
                .doesNotContain("(code ");
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void shouldReportABusyWebSocketPortInOneLineBeforeTheLibraryLogsAStackTrace() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // the probe refuses the port before Java-WebSocket's own thread binds it (and logs at
            // ERROR)
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> StreamSimulator.builder().port(busy.getLocalPort()).start())
                    .isInstanceOf(java.net.BindException.class)
                    .hasMessage("port " + busy.getLocalPort() + " is in use");

            Result r =
                    exec(
                            "simulate",
                            "--port",
                            Integer.toString(closedPort()),
                            "--ws-port",
                            Integer.toString(busy.getLocalPort()));
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().strip())
                    .isEqualTo(
                            "depthflow simulate: cannot serve WebSockets on port "
                                    + busy.getLocalPort()
                                    + " (port "
                                    + busy.getLocalPort()
                                    + " is in use); pick another with --ws-port");
        }
    }

    @Test
    void shouldReportABusyRestPortInOneLine() throws Exception {
        try (ExchangeSimulator other = ExchangeSimulator.start()) {
            Result r = exec("simulate", "--port", Integer.toString(other.port()), "--ws-port", "0");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().strip())
                    .isEqualTo(
                            "depthflow simulate: port "
                                    + other.port()
                                    + " is in use; pick another with --port");
        }
    }

    @Test
    void shouldNameARefusedConnectionToClickHouseInsteadOfNull() throws Exception {
        int port = closedPort();
        Result r =
                exec(
                        "sql",
                        "--clickhouse-url",
                        "jdbc:clickhouse://127.0.0.1:" + port + "/default",
                        "SELECT 1");
        assertThat(r.code()).isEqualTo(1);
        assertOneClearLine(r.err().strip(), "sql");
        assertThat(r.err().strip())
                .isEqualTo(
                        "depthflow sql: cannot reach ClickHouse at http://127.0.0.1:"
                                + port
                                + "/?database=default: connection refused");
    }

    @Test
    void shouldRefuseADataDirectoryThatDoesNotExistWithoutCreatingIt() {
        Path missing = dir.resolve("nonexistent").resolve("dir");
        Result r = exec("sql", "--data-dir", missing.toString(), "SELECT 1");
        assertThat(r.code()).isEqualTo(2);
        assertOneClearLine(r.err().strip(), "sql");
        assertThat(r.err()).contains("no data directory " + missing);
        assertThat(missing.getParent()).doesNotExist();
    }

    @Test
    void shouldAnswerBadSqlSourcesAsBadArguments() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.sql"), "  \n");
        for (String[] args :
                new String[][] {
                    {"sql", "--data-dir", dir.toString()},
                    {
                        "sql",
                        "--data-dir",
                        dir.toString(),
                        "-f",
                        dir.resolve("missing.sql").toString()
                    },
                    {"sql", "--data-dir", dir.toString(), "-f", empty.toString()},
                    {"sql", "--data-dir", dir.toString(), "-f", empty.toString(), "SELECT 1"},
                    {"sql", "--data-dir", dir.toString(), "--format", "Pretty Compact", "SELECT 1"}
                }) {
            Result r = exec(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertOneClearLine(r.err().strip(), "sql");
        }
    }

    @Test
    void shouldReportAnHtmlPageGivenAsABookInWords() throws Exception {
        Path html =
                Files.writeString(
                        dir.resolve("book.html"),
                        "<html><body><h1>Just a moment...</h1></body></html>\n");
        Result r =
                exec(
                        "quote",
                        "--exchange",
                        "kraken",
                        "--market",
                        "BTC/USD",
                        "--book",
                        html.toString(),
                        "--notional",
                        "50000");
        assertThat(r.code()).isEqualTo(1);
        assertOneClearLine(r.err().strip(), "quote");
        assertThat(r.err().strip())
                .isEqualTo(
                        "depthflow quote: "
                                + html
                                + ": kraken: invalid JSON at line 1 column 1: the text starts with '<', an HTML or XML page rather than JSON");
    }

    @Test
    void shouldDescribeACaptureErrorWrappedByFlinkByItsOwnMessage() throws Exception {
        // What run --replay book.html meets: the reader's error deep inside the job's failure.
        Path html = Files.writeString(dir.resolve("book.html"), "<html></html>\n");
        CaptureFormatException e =
                org.assertj.core.api.Assertions.catchThrowableOfType(
                        () -> CaptureReader.readAll(html), CaptureFormatException.class);
        Exception wrapped =
                new RuntimeException(
                        "org.apache.flink.runtime.JobException: Recovery is suppressed",
                        new IllegalStateException("source failed", e));
        assertThat(Main.rootMessage(wrapped))
                .isEqualTo(
                        html
                                + ":1: not a capture record: invalid JSON: the text starts with '<', an HTML or XML page rather than JSON");

        com.fasterxml.jackson.core.JsonProcessingException jackson =
                org.assertj.core.api.Assertions.catchThrowableOfType(
                        () -> new ObjectMapper().readTree("{\"a\": x}"),
                        com.fasterxml.jackson.core.JsonProcessingException.class);
        assertThat(jackson.getMessage()).contains("[Source:");
        assertThat(Main.rootMessage(new RuntimeException(jackson)))
                .isEqualTo(
                        "invalid JSON at line 1 column 8: Unrecognized token 'x': was expecting a JSON value");
    }

    @Test
    void shouldNameExceptionsWithoutAMessageInWords() {
        assertThat(Main.rootMessage(new java.io.IOException(new java.net.ConnectException())))
                .isEqualTo("connection refused");
        assertThat(
                        Main.rootMessage(
                                new RuntimeException(
                                        new java.nio.channels.UnresolvedAddressException())))
                .isEqualTo("unknown host (no DNS answer)");
        assertThat(
                        Main.rootMessage(
                                new RuntimeException(
                                        new java.nio.channels.ClosedChannelException())))
                .isEqualTo("closed channel");
    }

    @Test
    void shouldSayAStoredTransportErrorInWords() {
        // as the pollers store it, offline
        assertThat(
                        Messages.transportError(
                                "GET https://api.kraken.com/0/public/Depth?pair=XBTUSD&count=500: ConnectException <- UnresolvedAddressException"))
                .isEqualTo(
                        "GET https://api.kraken.com/0/public/Depth?pair=XBTUSD&count=500: unknown host (no DNS answer)");
        assertThat(Messages.transportError("GET http://x/: HttpConnectTimeoutException"))
                .isEqualTo("GET http://x/: connect timed out");
        assertThat(Messages.transportError("GET http://x/: the server said no"))
                .isEqualTo("GET http://x/: the server said no");
    }

    @Test
    void shouldCollapseClickHousesRepeatedPrefixes() {
        // the body chDB 26.5 answers to FORMAT Nope, verbatim
        String body =
                "Code: 73. DB::Exception: Code: 73. DB::Exception: Code: 73. DB::Exception: Unknown format Nope."
                        + " Maybe you meant: ['One','Npy']. (UNKNOWN_FORMAT) (version 26.5.1.1). (UNKNOWN_FORMAT) (version 26.5.1.1)."
                        + " (UNKNOWN_FORMAT)\n";
        assertThat(Messages.clickHouseError(body))
                .isEqualTo(
                        "Code: 73. DB::Exception: Unknown format Nope. Maybe you meant: ['One','Npy']. (UNKNOWN_FORMAT)");
        assertThat(Messages.clickHouseCode(body)).isEqualTo(73);
    }

    @Test
    void shouldNotCallAnEmptyCaptureOk() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        Result r = exec("verify", empty.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertOneClearLine(r.err().strip(), "verify");
        assertThat(r.err().strip())
                .isEqualTo(
                        "depthflow verify: "
                                + empty
                                + " holds no WebSocket book messages, nothing to verify (it is empty); record one with bin/depthflow record --mode stream");
    }

    @Test
    void shouldNotCallAnHtmlPageOrAPollCaptureAWebSocketCapture() throws Exception {
        Path html = Files.writeString(dir.resolve("page.html"), "<html></html>\n");
        Result r = exec("verify", html.toString());
        assertThat(r.code()).isEqualTo(1);
        assertOneClearLine(r.err().strip(), "verify");
        assertThat(r.err())
                .contains(
                        "1 unreadable lines, the first "
                                + html
                                + ":1: not a capture record: invalid JSON: the text starts with '<'");

        Path poll =
                Files.writeString(
                        dir.resolve("poll.jsonl"),
                        "{\"exchange\":\"kraken\",\"market\":\"BTC/USD\",\"kind\":\"rest_book\","
                                + "\"received_at\":\"2026-12-06T05:44:26.405Z\",\"error\":\"GET x: ConnectException\",\"payload\":\"\"}\n");
        r = exec("verify", poll.toString());
        assertThat(r.code()).isEqualTo(1);
        assertOneClearLine(r.err().strip(), "verify");
        assertThat(r.err())
                .contains(
                        "1 REST poll records (a poll capture: replay it with bin/depthflow run --replay)");
    }

    @Test
    void shouldSummarizeAnOfflineRecordingPerVenueAndExitOne() throws Exception {
        String unreachable = "http://127.0.0.1:" + closedPort();
        Path out = dir.resolve("offline.jsonl");
        Result r =
                exec(
                        "record",
                        "--out",
                        out.toString(),
                        "--duration",
                        "1s",
                        "--interval",
                        "1s",
                        "--coinbase-url",
                        unreachable,
                        "--kraken-url",
                        unreachable);
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        long lines = Files.readAllLines(out).size();
        assertThat(lines).isPositive();
        List<String> err = List.of(r.err().strip().split("\n"));
        assertThat(err)
                .contains(
                        "depthflow: coinbase   0 messages, "
                                + count(out, "coinbase")
                                + " failures (transport "
                                + count(out, "coinbase")
                                + ")",
                        "depthflow: kraken     0 messages, "
                                + count(out, "kraken")
                                + " failures (transport "
                                + count(out, "kraken")
                                + ")",
                        "depthflow: wrote " + lines + " lines to " + out);
        assertOneClearLine(r.errorLine(), "record");
        assertThat(r.errorLine())
                .startsWith("depthflow record: nothing but failures was recorded; the first: GET ")
                .contains("/book?level=2: connection refused")
                .endsWith("(no internet? bin/depthflow simulate serves both exchanges locally)");
    }

    @Test
    void shouldCountOnlyThisRunsLinesAndExitZeroWhenBooksWereRecorded() throws Exception {
        Path out =
                Files.writeString(
                        dir.resolve("sim.jsonl"),
                        "{\"exchange\":\"kraken\",\"market\":\"BTC/USD\",\"kind\":\"rest_book\","
                                + "\"received_at\":\"2026-12-06T05:44:26.405Z\",\"error\":\"from an earlier run\",\"payload\":\"\"}\n");
        try (ExchangeSimulator sim = ExchangeSimulator.start()) {
            sim.injectFault("kraken", io.depthflow.sources.simulator.Fault.HTTP_500, 1);
            // 3 s of 1 s polls: the failed first Kraken poll and at least one good one fit even on
            // a
            // loaded machine (with 1 s, Kraken's first answer sometimes came after the end)
            Result r =
                    exec(
                            "record",
                            "--out",
                            out.toString(),
                            "--duration",
                            "3s",
                            "--interval",
                            "1s",
                            "--markets",
                            "BTC/USD",
                            "--coinbase-url",
                            sim.baseUrl("coinbase"),
                            "--kraken-url",
                            sim.baseUrl("kraken"));
            assertThat(r.code()).as(r.err()).isZero();
            long coinbase = count(out, "coinbase");
            long kraken = count(out, "kraken") - 1;
            assertThat(coinbase).isPositive();
            List<String> err = List.of(r.err().strip().split("\n"));
            assertThat(err)
                    .endsWith(
                            "depthflow: coinbase   " + coinbase + " messages, 0 failures",
                            "depthflow: kraken     "
                                    + (kraken - 1)
                                    + " messages, 1 failures (http_status 1)",
                            "depthflow: wrote " + (coinbase + kraken) + " lines to " + out);
        }
    }

    @Test
    void shouldExitOneWhenAnUnknownMarketGetsOnlyErrors() throws Exception {
        Path out = dir.resolve("doge.jsonl");
        try (ExchangeSimulator sim = ExchangeSimulator.start()) {
            Result r =
                    exec(
                            "record",
                            "--out",
                            out.toString(),
                            "--duration",
                            "1s",
                            "--interval",
                            "1s",
                            "--markets",
                            "DOGE/USD",
                            "--coinbase-url",
                            sim.baseUrl("coinbase"),
                            "--kraken-url",
                            sim.baseUrl("kraken"));
            assertThat(r.code()).as(r.err()).isEqualTo(1);
            assertOneClearLine(r.errorLine(), "record");
            assertThat(r.errorLine())
                    .startsWith("depthflow record: nothing but failures was recorded; the first: ");
        }
    }

    @Test
    void shouldExitOneWhenAStreamRecordingOnlyFailedToConnect() throws Exception {
        String unreachable = "ws://127.0.0.1:" + closedPort() + "/feed";
        Path out = dir.resolve("ws.jsonl");
        Result r =
                exec(
                        "record",
                        "--mode",
                        "stream",
                        "--out",
                        out.toString(),
                        "--duration",
                        "1500ms",
                        "--coinbase-ws-url",
                        unreachable,
                        "--kraken-ws-url",
                        unreachable);
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err())
                .contains("depthflow: coinbase   0 messages, ")
                .contains("depthflow: kraken     0 messages, ");
        assertOneClearLine(r.errorLine(), "record");
        assertThat(r.errorLine())
                .startsWith("depthflow record: nothing but failures was recorded; the first: ")
                .contains(" disconnected: connect failed");
    }

    /**
     * {@code run --replay} of an HTML page and of an empty file: exit 1 with one line, as {@code
     * quote} on the same file, before any job or ClickHouse is started (once: exit 2 with Jackson's
     * internals, and exit 0 after printing the minutes an earlier run had left in ./data).
     */
    @Test
    void shouldRefuseToReplayAFileWithoutCaptureRecordsInOneLineAndExitOne() throws Exception {
        Path html =
                Files.writeString(
                        dir.resolve("book.html"),
                        "<html><body><h1>Just a moment...</h1></body></html>\n");
        Path data = dir.resolve("data");
        Result r = exec("run", "--replay", html.toString(), "--data-dir", data.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertOneClearLine(r.err().strip(), "run");
        assertThat(r.err().strip())
                .isEqualTo(
                        "depthflow run: "
                                + html
                                + " is not a capture file (its one line is not a capture"
                                + " record; line 1: invalid JSON: the text starts with '<', an HTML or XML page rather than JSON);"
                                + " bin/depthflow record writes one");

        Path empty = Files.writeString(dir.resolve("empty.json"), "\n\n");
        r = exec("run", "--replay", empty.toString(), "--data-dir", data.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip())
                .isEqualTo("depthflow run: the capture " + empty + " is empty: nothing to replay");
        assertThat(data).as("nothing was started on the data directory").doesNotExist();

        r = exec("run", "--replay", dir.resolve("missing.jsonl").toString());
        assertThat(r.code()).as("a file that does not exist is a bad argument").isEqualTo(2);
        assertOneClearLine(r.err().strip(), "run");
    }

    /** The line a live run prints once per venue it cannot reach, cause in words. */
    @Test
    void shouldSayAnUnreachableVenueWithItsCauseAndPointToTheDemo() {
        assertThat(
                        UnreachableVenues.line(
                                "coinbase",
                                "coinbase: GET https://api.exchange.coinbase.com/products/BTC-USD/book?level=2: ConnectException <- UnresolvedAddressException",
                                true))
                .isEqualTo(
                        "coinbase unreachable: GET https://api.exchange.coinbase.com/products/BTC-USD/book?level=2:"
                                + " unknown host (no DNS answer); no internet? try bin/depthflow demo (the bundled exchange simulator);"
                                + " the run keeps trying");
        assertThat(
                        UnreachableVenues.line(
                                "kraken", "connect failed: java.net.ConnectException", false))
                .as("a WebSocket feed's connection event, the run polling a simulator: no hint")
                .isEqualTo(
                        "kraken unreachable: connect failed: java.net.ConnectException; the run keeps trying");
    }

    /**
     * One writer per data directory: a lock file left by a run that is gone (its pid in it, the OS
     * lock gone with the process) is no obstacle; a lock held is refused in one line naming the
     * holder. (Two real processes: DemoITCase.)
     */
    @Test
    void shouldTakeAStaleLockAndRefuseAHeldOneNamingItsHolder() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve(DataDirLock.FILE), "999999999 run\n");
        try (DataDirLock held = DataDirLock.acquire(data, "run")) {
            assertThat(Files.readString(data.resolve(DataDirLock.FILE)).strip())
                    .isEqualTo(ProcessHandle.current().pid() + " run");
            UsageException refused =
                    org.assertj.core.api.Assertions.catchThrowableOfType(
                            () -> DataDirLock.acquire(data, "demo"), UsageException.class);
            assertThat(refused.getMessage())
                    .isEqualTo(
                            "demo: the data directory "
                                    + data
                                    + " is in use by depthflow run (pid "
                                    + ProcessHandle.current().pid()
                                    + "); stop it first, or give another --data-dir (bin/depthflow sql --data-dir "
                                    + data
                                    + " reads it while it runs)");
        }
        try (DataDirLock again = DataDirLock.acquire(data, "run")) {
            assertThat(again).as("released on close").isNotNull();
        }
    }

    /** demo empties its directory at each start: never one holding a real run's data. */
    @Test
    void shouldRefuseToRunTheDemoOnADirectoryThatIsNotADemos() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path checkpoint =
                Files.writeString(
                        Files.createDirectories(data.resolve("checkpoints")).resolve("chk"),
                        "state");
        Result r = exec("demo", "--data-dir", data.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertOneClearLine(r.err().strip(), "demo");
        assertThat(r.err().strip())
                .isEqualTo(
                        "depthflow demo: "
                                + data
                                + " holds data that is not an earlier demo's, and a demo"
                                + " empties its directory; give an empty or new --data-dir (default ./data-demo)");
        assertThat(checkpoint).as("left as it was").hasContent("state");
    }

    private static long count(Path capture, String exchange) throws Exception {
        return Files.readAllLines(capture).stream()
                .filter(l -> l.startsWith("{\"exchange\":\"" + exchange + "\""))
                .count();
    }
}
