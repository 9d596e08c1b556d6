package io.depthflow.job.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The live web dashboard: the page and its scripts (from the jar, under {@code
 * io/depthflow/job/dashboard/static/}, the charting library bundled there by the build) and a
 * handful of JSON endpoints over {@link DashboardQueries}, on the JDK's HTTP server. Binds to
 * loopback unless told otherwise.
 *
 * <ul>
 *   <li>{@code GET /api/markets}
 *   <li>{@code GET /api/overview?market=BTC/USD&minutes=60}: mids, best venues, spread, slippage
 *       and depth (per venue and consolidated, {@code exchange = 'all'}) of the market
 *   <li>{@code GET /api/health?market=BTC/USD}: per venue the last data time, book status, error
 *       counts of the last hour, latest errors
 * </ul>
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final String STATIC = "/io/depthflow/job/dashboard/static";
    private static final Map<String, String> TYPES =
            Map.of(
                    "html", "text/html; charset=utf-8",
                    "js", "text/javascript; charset=utf-8",
                    "css", "text/css; charset=utf-8",
                    "png", "image/png");

    private final HttpServer server;
    private final ExecutorService executor;
    private final DashboardQueries queries;
    private final ObjectMapper json = new ObjectMapper();

    private DashboardServer(HttpServer server, DashboardQueries queries) {
        this.server = server;
        this.queries = queries;
        this.executor =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "depthflow-dashboard");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext("/api/", this::api);
        server.createContext("/", this::file);
    }

    /** Starts serving on {@code bind:port} (port 0: any free port). */
    public static DashboardServer start(String bind, int port, DashboardQueries queries)
            throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(bind, port), 16);
        DashboardServer s = new DashboardServer(http, queries);
        http.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The page's address, for the terminal. */
    public String url() {
        String host =
                server.getAddress().getAddress().isAnyLocalAddress()
                        ? "localhost"
                        : server.getAddress().getHostString();
        return "http://" + host + ":" + port() + "/";
    }

    private void api(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String path = ex.getRequestURI().getPath();
            Object body;
            try {
                String market = q.getOrDefault("market", "");
                if (!path.equals("/api/markets")
                        && !DashboardQueries.MARKET.matcher(market).matches()) {
                    send(
                            ex,
                            400,
                            "application/json",
                            json.writeValueAsBytes(
                                    Map.of("error", "market must look like BTC/USD")));
                    return;
                }
                int minutes = parseMinutes(q.getOrDefault("minutes", "60"));
                switch (path) {
                    case "/api/markets":
                        body = queries.markets();
                        break;
                    case "/api/overview":
                        {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("market", market);
                            m.put("mids", queries.mids(market, minutes));
                            m.put("best", queries.best(market, minutes));
                            m.put("spread", queries.spread(market, minutes));
                            m.put("slippage", queries.slippage(market));
                            List<Map<String, Object>> depth =
                                    new ArrayList<>(queries.depth(market));
                            depth.addAll(queries.consolidatedDepth(market));
                            m.put("depth", depth);
                            body = m;
                            break;
                        }
                    case "/api/health":
                        {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("market", market);
                            m.put("venues", queries.health(market));
                            m.put("errorCounts", queries.errorCounts(market));
                            m.put("latestErrors", queries.latestErrors(market));
                            body = m;
                            break;
                        }
                    default:
                        send(
                                ex,
                                404,
                                "application/json",
                                json.writeValueAsBytes(Map.of("error", "no such endpoint")));
                        return;
                }
            } catch (SQLException e) {
                LOG.warn("Dashboard query failed: {}", e.getMessage());
                send(
                        ex,
                        503,
                        "application/json",
                        json.writeValueAsBytes(Map.of("error", "ClickHouse: " + e.getMessage())));
                return;
            }
            send(ex, 200, "application/json", json.writeValueAsBytes(body));
        }
    }

    private void file(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/")) {
                path = "/index.html";
            }
            if (path.contains("..") || !path.matches("/[A-Za-z0-9._/-]+")) {
                send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            try (InputStream in = DashboardServer.class.getResourceAsStream(STATIC + path)) {
                if (in == null) {
                    send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                String ext = path.substring(path.lastIndexOf('.') + 1);
                send(
                        ex,
                        200,
                        TYPES.getOrDefault(ext, "application/octet-stream"),
                        in.readAllBytes());
            }
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static int parseMinutes(String s) {
        try {
            return Math.min(7 * 24 * 60, Math.max(1, Integer.parseInt(s)));
        } catch (NumberFormatException e) {
            return 60;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null) {
            return m;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(
                        URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
