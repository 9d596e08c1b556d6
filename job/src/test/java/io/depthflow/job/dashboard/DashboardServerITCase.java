package io.depthflow.job.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's HTTP side: the page and the bundled charting library from the jar, the JSON
 * endpoints, refusals.
 */
@ExtendWith(ClickHouseTestServer.class)
class DashboardServerITCase {

    private final HttpClient http = HttpClient.newHttpClient();
    private DashboardServer server;

    @BeforeEach
    void setUp() throws Exception {
        ClickHouseTestServer.resetSchema();
        ClickHouseTestServer.execute(
                "INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                        + " spread_bps, book_status, good_ms, version) VALUES ('2025-12-01 10:00:00', 'BTC/USD', 'kraken', 89998.33, 4,"
                        + " 89998.3, 89998.36, 0.0067, 'ok', 60000, 1)");
        server =
                DashboardServer.start(
                        "127.0.0.1",
                        0,
                        new DashboardQueries(ClickHouseTestServer.jdbcUrl(), new Properties()));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeThePageAndTheBundledChartingLibraryFromTheJar() throws Exception {
        assertThat(server.url()).startsWith("http://127.0.0.1:");
        HttpResponse<String> page = get("");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body())
                .contains("<script src=\"vendor/uPlot.iife.min.js\"></script>")
                .doesNotContain("https://");
        HttpResponse<String> lib = get("vendor/uPlot.iife.min.js");
        assertThat(lib.statusCode()).isEqualTo(200);
        assertThat(lib.body()).contains("uPlot");
        assertThat(get("vendor/../../DashboardServer.class").statusCode()).isEqualTo(404);
        assertThat(get("nothing.html").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldAnswerJsonFromClickHouse() throws Exception {
        HttpResponse<String> markets = get("api/markets");
        assertThat(markets.statusCode()).isEqualTo(200);
        assertThat(markets.body()).isEqualTo("[{\"market\":\"BTC/USD\"}]");
        JsonNode o =
                new ObjectMapper().readTree(get("api/overview?market=BTC%2FUSD&minutes=15").body());
        assertThat(o.get("market").asText()).isEqualTo("BTC/USD");
        assertThat(o.get("mids").get(0).get("mid").asText()).isEqualTo("89998.33");
        assertThat(o.get("mids").get(0).get("window").asLong()).isEqualTo(1_764_583_200_000L);
        JsonNode h = new ObjectMapper().readTree(get("api/health?market=BTC/USD").body());
        assertThat(h.get("venues").get(0).get("book_status").asText()).isEqualTo("ok");
    }

    @Test
    void shouldRefuseABadMarketAndAnUnknownEndpoint() throws Exception {
        HttpResponse<String> bad = get("api/overview?market=x%27%20OR%201");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("market must look like BTC/USD");
        assertThat(get("api/nothing?market=BTC/USD").statusCode()).isEqualTo(404);
    }
}
