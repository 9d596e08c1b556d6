package io.depthflow.clickhouse.embedded;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A ClickHouse server for one process: the chDB engine ({@link ChdbEngine}) behind enough of
 * ClickHouse's HTTP interface for the official JDBC driver ({@code com.clickhouse:clickhouse-jdbc}
 * 0.9.x), for {@code curl} and for Grafana's ClickHouse data source in HTTP mode.
 *
 * <p>Runs in its own JVM, started by {@link EmbeddedClickHouse}; never inside the Flink JVM. That
 * JVM must be started with {@code LD_PRELOAD=$JAVA_HOME/lib/server/libjsig.so} (see {@link
 * ChdbEngine}).
 *
 * <p>Usage: {@code ChdbHttpServer --path=DIR [--port=N] [--lib=PATH] [--exit-on-stdin-eof]}. {@code
 * --port=0} (the default) takes a free port. {@code --lib} defaults to {@link
 * ChdbLibrary#locate()}. With {@code --exit-on-stdin-eof} the server exits when its stdin closes,
 * i.e. when the process that started it dies. Once serving, it prints exactly one line {@code READY
 * port=<port>} to stdout and writes {@code DIR/.depthflow-clickhouse} (pid and port; see {@link
 * EmbeddedClickHouse#runningServerUrl}); SIGTERM shuts it down cleanly.
 *
 * <p>Protocol (the subset of ClickHouse's HTTP interface that is implemented):
 *
 * <ul>
 *   <li>{@code GET /ping} and {@code GET /} answer {@code Ok.}; {@code GET /?query=...} runs the
 *       query (handy with curl).
 *   <li>{@code POST /}: the statement is the {@code query} URL parameter followed by the body. When
 *       the {@code query} parameter is {@code INSERT INTO ... FORMAT <fmt>} the body is data: it is
 *       spooled to a file and run as {@code INSERT INTO ... FROM INFILE '<file>' FORMAT <fmt>}
 *       (binary data cannot be appended to the statement text).
 *   <li>The output format comes from the {@code X-ClickHouse-Format} header, else the {@code
 *       default_format} parameter, else {@code TabSeparated}. The database comes from the {@code
 *       X-ClickHouse-Database} header or the {@code database} parameter.
 *   <li>Responses carry {@code X-ClickHouse-Format}, {@code X-ClickHouse-Query-Id}, {@code
 *       X-ClickHouse-Timezone} and {@code X-ClickHouse-Summary} (whose {@code written_rows} the
 *       driver turns into update counts). Errors are non-200 with the body {@code Code: N.
 *       DB::Exception: ...} and the header {@code X-ClickHouse-Exception-Code}.
 *   <li>Not implemented: compression ({@code compress=1} / {@code decompress=1} are refused with a
 *       clear error; JDBC URLs must carry {@code ?compress=0}), sessions, authentication (the
 *       server listens on 127.0.0.1 only), and per-request settings (other URL parameters such as
 *       {@code async_insert} or {@code wait_end_of_query} are ignored).
 *   <li>Statements run one at a time. {@code DROP ... SYNC} is refused: in chDB 26.5 it waits
 *       forever for a background drop, blocking every later statement.
 * </ul>
 */
public final class ChdbHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChdbHttpServer.class);

    /**
     * The file in the data directory that advertises a running server: {@code pid} and {@code
     * port}.
     */
    static final String INFO_FILE = ".depthflow-clickhouse";

    private static final String LOCK_FILE = ".depthflow-clickhouse.lock";
    private static final String SPOOL_DIR = ".depthflow-spool";
    private static final String DEFAULT_FORMAT = "TabSeparated";

    /** {@code INSERT INTO <target> FORMAT <fmt>}, where the data follows in the body. */
    private static final Pattern INSERT_WITH_DATA =
            Pattern.compile(
                    "^\\s*(INSERT\\s+INTO\\s+.+?)\\s+FORMAT\\s+([A-Za-z0-9_]+)\\s*$",
                    Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** {@code DROP ... SYNC}: waits for a background drop that never runs in chDB 26.5, forever. */
    private static final Pattern DROP_SYNC =
            Pattern.compile(
                    "^\\s*DROP\\s.*\\sSYNC\\s*;?\\s*$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private static final int NOT_IMPLEMENTED = 48;
    private static final int SYNTAX_ERROR = 62;
    private static final Set<Integer> BAD_REQUEST_CODES =
            Set.of(6, 26, 27, 38, 41, 46, 47, 50, 53, 62, 70, 72, 76);
    private static final Set<Integer> NOT_FOUND_CODES = Set.of(60, 81);

    private final ChdbEngine engine;
    private final Path dataDir;
    private final Path spoolDir;
    private final HttpServer http;
    private final ExecutorService executor;
    private final String timezone;
    private final Object statementLock = new Object();
    private final AtomicInteger spoolCounter = new AtomicInteger();
    private String currentDatabase;

    private ChdbHttpServer(ChdbEngine engine, Path dataDir, int port) throws IOException {
        this.engine = engine;
        this.dataDir = dataDir;
        this.spoolDir = dataDir.resolve(SPOOL_DIR);
        deleteTree(spoolDir);
        Files.createDirectories(spoolDir);
        this.timezone = engineTimezone(engine);
        this.http =
                HttpServer.create(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        AtomicInteger threads = new AtomicInteger();
        this.executor =
                Executors.newFixedThreadPool(
                        8, r -> new Thread(r, "chdb-http-" + threads.incrementAndGet()));
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        // The JDK HTTP server reads this once, when it is first used: set it before that.
        // Without it every response waits for Nagle's algorithm (49 ms instead of 8 ms a query).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        Path dataDir = null;
        Path lib = null;
        int port = 0;
        boolean exitOnStdinEof = false;
        for (String arg : args) {
            if (arg.startsWith("--path=")) {
                dataDir = Path.of(arg.substring("--path=".length()));
            } else if (arg.startsWith("--port=")) {
                port = Integer.parseInt(arg.substring("--port=".length()));
            } else if (arg.startsWith("--lib=")) {
                lib = Path.of(arg.substring("--lib=".length()));
            } else if (arg.equals("--exit-on-stdin-eof")) {
                exitOnStdinEof = true;
            } else {
                System.err.println(
                        "usage: ChdbHttpServer --path=DIR [--port=N] [--lib=PATH]"
                                + " [--exit-on-stdin-eof]");
                System.exit(2);
            }
        }
        if (dataDir == null) {
            System.err.println("ChdbHttpServer: --path=DIR is required");
            System.exit(2);
        }
        Files.createDirectories(dataDir);
        FileChannel lockChannel =
                FileChannel.open(
                        dataDir.resolve(LOCK_FILE),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
        FileLock dataDirLock = lockChannel.tryLock();
        if (dataDirLock == null) {
            System.err.println(
                    "ChdbHttpServer: data directory "
                            + dataDir
                            + " is in use by another ClickHouse server; see "
                            + dataDir.resolve(INFO_FILE));
            System.exit(3);
        }
        ChdbEngine engine =
                ChdbEngine.open(lib != null ? lib : ChdbLibrary.locate(), dataDir.toAbsolutePath());
        ChdbHttpServer server = new ChdbHttpServer(engine, dataDir, port);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    try {
                                        dataDirLock.release();
                                        lockChannel.close();
                                    } catch (IOException e) {
                                        LOG.warn("Could not release the data directory lock", e);
                                    }
                                },
                                "chdb-shutdown"));
        server.writeInfoFile();
        LOG.info(
                "chDB serving {} on http://127.0.0.1:{}/ (timezone {})",
                dataDir,
                server.port(),
                server.timezone);
        System.out.println("READY port=" + server.port());
        System.out.flush();
        if (exitOnStdinEof) {
            Thread watcher = new Thread(ChdbHttpServer::exitOnStdinEof, "chdb-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    private static void exitOnStdinEof() {
        try {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            while (in.read(buffer) >= 0) {
                // the parent never writes; anything read is ignored
            }
        } catch (IOException e) {
            LOG.warn("Reading stdin failed; treating it as the parent having gone", e);
        }
        LOG.info("stdin closed: the parent process is gone, shutting down");
        System.exit(0);
    }

    int port() {
        return http.getAddress().getPort();
    }

    private void writeInfoFile() throws IOException {
        Path tmp = dataDir.resolve(INFO_FILE + ".tmp");
        Files.writeString(
                tmp,
                "pid=" + ProcessHandle.current().pid() + "\nport=" + port() + "\n",
                StandardCharsets.UTF_8);
        Files.move(tmp, dataDir.resolve(INFO_FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Stops serving and closes the engine. Idempotent. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        engine.close();
        try {
            Files.deleteIfExists(dataDir.resolve(INFO_FILE));
            deleteTree(spoolDir);
        } catch (IOException e) {
            LOG.warn("Could not clean up {}", dataDir, e);
        }
        LOG.info("chDB server on {} stopped", dataDir);
    }

    private void handle(HttpExchange exchange) {
        try {
            URI uri = exchange.getRequestURI();
            String method = exchange.getRequestMethod();
            Map<String, String> params = parseQueryString(uri.getRawQuery());
            String path = uri.getPath();
            if (path.equals("/ping")
                    || (path.equals("/") && method.equals("GET") && !params.containsKey("query"))) {
                drain(exchange.getRequestBody());
                sendText(exchange, 200, "Ok.\n");
            } else if (!path.equals("/")) {
                drain(exchange.getRequestBody());
                sendText(exchange, 404, "There is no handle " + path + "\n\nUse / or /ping.\n");
            } else if (method.equals("GET") || method.equals("POST")) {
                execute(exchange, params);
            } else {
                drain(exchange.getRequestBody());
                sendText(exchange, 405, "Method " + method + " is not allowed\n");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Request {} failed", exchange.getRequestURI(), e);
            if (exchange.getResponseCode() == -1) { // nothing sent yet: tell the client why
                sendErrorQuietly(exchange, e);
            }
        } finally {
            exchange.close();
        }
    }

    private void sendErrorQuietly(HttpExchange exchange, Exception e) {
        try {
            sendError(
                    exchange,
                    UUID.randomUUID().toString(),
                    ChdbEngine.UNKNOWN_ERROR_CODE,
                    "Code: 1001. DB::Exception: depthflow's embedded ClickHouse failed: " + e);
        } catch (IOException | RuntimeException ignored) {
            // the client is gone; the failure is logged above
        }
    }

    private void execute(HttpExchange exchange, Map<String, String> params) throws IOException {
        Headers request = exchange.getRequestHeaders();
        String queryId = params.getOrDefault("query_id", UUID.randomUUID().toString());
        String format =
                firstNonBlank(
                        request.getFirst("X-ClickHouse-Format"),
                        params.get("default_format"),
                        DEFAULT_FORMAT);
        String database =
                firstNonBlank(
                        request.getFirst("X-ClickHouse-Database"), params.get("database"), null);
        if ("1".equals(params.get("compress")) || "1".equals(params.get("decompress"))) {
            drain(exchange.getRequestBody());
            sendError(
                    exchange,
                    queryId,
                    NOT_IMPLEMENTED,
                    "Code: 48. DB::Exception: depthflow's embedded ClickHouse does not compress"
                            + " (compress=1 / decompress=1 requested): add compress=0 to the JDBC"
                            + " URL, e.g. jdbc:clickhouse://127.0.0.1:PORT/default?compress=0."
                            + " (NOT_IMPLEMENTED)");
            return;
        }
        String prefix = params.get("query");
        Matcher insert = prefix == null ? null : INSERT_WITH_DATA.matcher(prefix);
        Path spooled = null;
        try {
            String sql;
            if (insert != null && insert.matches()) {
                spooled = spoolDir.resolve("insert-" + spoolCounter.incrementAndGet() + ".bin");
                long bytes;
                try (InputStream body = exchange.getRequestBody()) {
                    bytes = Files.copy(body, spooled);
                }
                if (bytes == 0) {
                    sendOk(exchange, queryId, format, null);
                    return;
                }
                sql =
                        insert.group(1)
                                + " FROM INFILE '"
                                + escapeSqlString(spooled.toAbsolutePath().toString())
                                + "' FORMAT "
                                + insert.group(2);
            } else {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                String bodyText = new String(body, StandardCharsets.UTF_8);
                sql =
                        prefix == null
                                ? bodyText
                                : bodyText.isEmpty() ? prefix : prefix + "\n" + bodyText;
            }
            if (sql.isBlank()) {
                sendError(
                        exchange,
                        queryId,
                        SYNTAX_ERROR,
                        "Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)");
                return;
            }
            if (DROP_SYNC.matcher(sql).matches()) {
                sendError(
                        exchange,
                        queryId,
                        NOT_IMPLEMENTED,
                        "Code: 48. DB::Exception: DROP ... SYNC never returns in the embedded"
                                + " ClickHouse (chDB 26.5) and would block every later statement: drop"
                                + " without SYNC. (NOT_IMPLEMENTED)");
                return;
            }
            long started = System.nanoTime();
            try (ChdbEngine.Result result = run(sql, format, database)) {
                LOG.debug(
                        "query {} ({}) took {} ms: {}",
                        queryId,
                        format,
                        (System.nanoTime() - started) / 1_000_000,
                        sql.length() <= 500 ? sql : sql.substring(0, 500) + "...");
                String error = result.error();
                if (error != null) {
                    sendError(exchange, queryId, result.errorCode(), error);
                } else {
                    sendOk(exchange, queryId, format, result);
                }
            }
        } finally {
            if (spooled != null) {
                Files.deleteIfExists(spooled);
            }
        }
    }

    /** Runs a statement in the requested database; the switch and the statement are atomic. */
    private ChdbEngine.Result run(String sql, String format, String database) {
        synchronized (statementLock) {
            if (database != null && !database.equals(currentDatabase)) {
                ChdbEngine.Result use =
                        engine.query("USE " + quoteIdentifier(database), DEFAULT_FORMAT);
                if (use.error() != null) {
                    return use; // e.g. UNKNOWN_DATABASE, reported to the client like any error
                }
                use.close();
                currentDatabase = database;
            }
            return engine.query(sql, format);
        }
    }

    private void sendOk(
            HttpExchange exchange, String queryId, String format, ChdbEngine.Result result)
            throws IOException {
        Headers headers = exchange.getResponseHeaders();
        commonHeaders(headers, queryId);
        headers.set("X-ClickHouse-Format", format);
        headers.set("Content-Type", contentType(format));
        headers.set(
                "X-ClickHouse-Summary",
                String.format(
                        Locale.ROOT,
                        "{\"read_rows\":\"%d\",\"read_bytes\":\"%d\",\"written_rows\":\"%d\",\"written_bytes\":\"%d\","
                                + "\"total_rows_to_read\":\"0\",\"result_rows\":\"0\",\"result_bytes\":\"0\"}",
                        result == null ? 0 : result.rowsRead(),
                        result == null ? 0 : result.bytesRead(),
                        result == null ? 0 : result.rowsWritten(),
                        result == null ? 0 : result.bytesWritten()));
        ByteBuffer data = result == null ? ByteBuffer.allocate(0) : result.data();
        exchange.sendResponseHeaders(200, data.hasRemaining() ? data.remaining() : -1);
        if (data.hasRemaining()) {
            try (OutputStream out = exchange.getResponseBody();
                    WritableByteChannel channel = Channels.newChannel(out)) {
                while (data.hasRemaining()) {
                    channel.write(data);
                }
            }
        }
    }

    private void sendError(HttpExchange exchange, String queryId, int code, String message)
            throws IOException {
        Headers headers = exchange.getResponseHeaders();
        commonHeaders(headers, queryId);
        headers.set("X-ClickHouse-Exception-Code", Integer.toString(code));
        String body =
                message.startsWith("Code: ")
                        ? message
                        : "Code: " + code + ". DB::Exception: " + message;
        int status =
                BAD_REQUEST_CODES.contains(code) ? 400 : NOT_FOUND_CODES.contains(code) ? 404 : 500;
        sendText(exchange, status, body.endsWith("\n") ? body : body + "\n");
    }

    private void commonHeaders(Headers headers, String queryId) {
        headers.set("X-ClickHouse-Query-Id", queryId);
        headers.set("X-ClickHouse-Timezone", timezone);
        headers.set("X-ClickHouse-Server-Display-Name", "depthflow-chdb");
    }

    private static void sendText(HttpExchange exchange, int status, String text)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String contentType(String format) {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.startsWith("json")) {
            return "application/json; charset=UTF-8";
        }
        if (f.startsWith("tabseparated") || f.startsWith("tsv")) {
            return "text/tab-separated-values; charset=UTF-8";
        }
        if (f.startsWith("csv")
                || f.startsWith("pretty")
                || f.equals("vertical")
                || f.equals("markdown")) {
            return "text/plain; charset=UTF-8";
        }
        return "application/octet-stream";
    }

    private static String engineTimezone(ChdbEngine engine) {
        try (ChdbEngine.Result r = engine.query("SELECT timezone()", DEFAULT_FORMAT)) {
            if (r.error() != null) {
                throw new IllegalStateException("The engine does not answer: " + r.error());
            }
            return StandardCharsets.UTF_8.decode(r.data()).toString().strip();
        }
    }

    /** Decodes {@code a=1&b=x%20y}; later duplicates win, as in ClickHouse. */
    static Map<String, String> parseQueryString(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(
                    URLDecoder.decode(key, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String firstNonBlank(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        if (b != null && !b.isBlank()) {
            return b;
        }
        return fallback;
    }

    private static String escapeSqlString(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }

    private static String quoteIdentifier(String name) {
        return '`' + name.replace("\\", "\\\\").replace("`", "\\`") + '`';
    }

    private static void drain(InputStream in) throws IOException {
        try (in) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
