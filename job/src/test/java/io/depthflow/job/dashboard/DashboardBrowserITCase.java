package io.depthflow.job.dashboard;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.JobEnvironment;
import io.depthflow.job.PollWorkflow;
import io.depthflow.job.StreamWorkflow;
import io.depthflow.job.options.RunOptions;
import io.depthflow.sources.clock.AcceleratedClock;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.testing.MiniClusters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser, in poll and stream mode: the exchange simulator on a fast clock
 * (two real seconds are one minute), the pipeline as {@code run} defines it in a MiniCluster, the
 * embedded ClickHouse, the dashboard server, and Debian's headless Chromium driven by Selenium. The
 * page's numbers (read from their data- attributes) must equal the BI views, each chart must have
 * drawn its series, switching the market must switch them, and faults injected into the simulator
 * must show in the feed-health panel. Saves a screenshot to {@code job/target/dashboard.png}, and
 * to the README's {@code docs/dashboard.png} with {@code
 * -Ddashboard.screenshot=../docs/dashboard.png}.
 */
@ExtendWith(ClickHouseTestServer.class)
class DashboardBrowserITCase {

    @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.loopbackTwoSlots();

    private static final long START =
            (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L - 10_000L;
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static ChromeDriver browser;
    private ExchangeSimulator sim;
    private StreamSimulator streamSim;
    private JobClient job;
    private DashboardServer dashboard;

    @BeforeAll
    static void startBrowser() throws Exception {
        Chromium.ensureInstalled();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Chromium.BROWSER);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1400,2000");
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File(Chromium.DRIVER))
                        .usingAnyFreePort()
                        .build();
        browser = new ChromeDriver(service, options);
    }

    /**
     * The simulator, the job as {@code run} defines it, and the dashboard, in poll or stream mode.
     */
    private void start(boolean stream) throws Exception {
        ClickHouseTestServer.resetSchema();
        AcceleratedClock clock = new AcceleratedClock(START, 30);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RunOptions opts;
        if (stream) {
            streamSim =
                    StreamSimulator.builder().clock(clock).seed(5).messagesPerSecond(30).start();
            opts =
                    RunOptions.parse(
                            new String[] {
                                "--mode", "stream",
                                "--kraken-ws-url", streamSim.url("kraken"),
                                "--coinbase-ws-url", streamSim.url("coinbase"),
                                "--kraken-depth", "100",
                                "--out-of-orderness", "30s",
                                "--stale-after", "1500ms",
                                "--checkpoint-interval", "2s",
                                "--clickhouse-url", ClickHouseTestServer.jdbcUrl()
                            });
        } else {
            sim = ExchangeSimulator.builder().clock(clock).seed(11).start();
            opts =
                    RunOptions.parse(
                            new String[] {
                                "--coinbase-url",
                                sim.baseUrl("coinbase"),
                                "--kraken-url",
                                sim.baseUrl("kraken"),
                                "--interval",
                                "15s",
                                "--out-of-orderness",
                                "30s",
                                "--checkpoint-interval",
                                "2s",
                                "--clickhouse-url",
                                ClickHouseTestServer.jdbcUrl()
                            });
        }
        if (stream) {
            StreamWorkflow.build(
                    env, opts, JobEnvironment.sinkOptions(ClickHouseTestServer.jdbcUrl()), clock);
        } else {
            PollWorkflow.build(
                    env,
                    opts,
                    JobEnvironment.sinkOptions(ClickHouseTestServer.jdbcUrl()),
                    clock,
                    b ->
                            b.setRateLimit("kraken", 50, 10)
                                    .setRateLimit("coinbase", 50, 10)
                                    .setConnectTimeout(Duration.ofSeconds(2))
                                    .setRequestTimeout(Duration.ofSeconds(2)));
        }
        job = env.executeAsync("dashboard-browser-it");
        dashboard =
                DashboardServer.start(
                        "127.0.0.1",
                        0,
                        new DashboardQueries(ClickHouseTestServer.jdbcUrl(), new Properties()));
        browser.get(dashboard.url());
    }

    @AfterEach
    void stopRun() throws Exception {
        if (dashboard != null) {
            dashboard.close();
            dashboard = null;
        }
        if (job != null) {
            job.cancel().get(30, TimeUnit.SECONDS);
            job = null;
        }
        if (sim != null) {
            sim.close();
            sim = null;
        }
        if (streamSim != null) {
            streamSim.close();
            streamSim = null;
        }
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = {"poll", "stream"})
    void shouldShowTheBiViewsLiveSwitchMarketsAndReportFaults(String mode) throws Exception {
        boolean stream = mode.equals("stream");
        start(stream);
        // 1. BTC/USD (the first market): the latest complete minute equals the BI views
        selectMarket("BTC/USD");
        Map<String, String> btc = waitForMinuteMatchingViews("BTC/USD");
        assertThat(btc)
                .containsKeys(
                        "mid/coinbase",
                        "mid/kraken",
                        "mid/all",
                        "best-venue/buy/50000",
                        "best-venue/sell/50000",
                        "best-venue/buy/100000",
                        "best-venue/sell/100000");

        // 2. every chart drew its series: pixels of the series' stroke colour on its canvas
        await(
                "the depth charts of both venues and the consolidated book, the mid and spread charts drawn",
                () -> {
                    java.util.List<String> missing = new java.util.ArrayList<>();
                    String[][] charts = {
                        {"[data-chart=depth][data-venue=coinbase]", "#2a9d3a"},
                        {"[data-chart=depth][data-venue=kraken]", "#d1495b"},
                        {"[data-chart=depth][data-venue=all]", "#2a9d3a"},
                        {"#mid-chart", "#d62728"},
                        {"#spread-chart", "#9467bd"}
                    };
                    for (String[] c : charts) {
                        if (!drawn(c[0], c[1])) {
                            missing.add(c[0] + " in " + c[1]);
                        }
                    }
                    // The venues' mid lines lie under 'all' (drawn last, in red) where the venues
                    // agree, as
                    // the simulator's do to a fraction of a basis point: their points are counted
                    // instead.
                    for (String venue : new String[] {"coinbase", "kraken"}) {
                        Object n =
                                js(
                                        "return document.querySelector('#mid-chart').getAttribute('data-points-"
                                                + venue
                                                + "') || '0'");
                        if (Long.parseLong(String.valueOf(n)) == 0) {
                            missing.add("#mid-chart points of " + venue);
                        }
                    }
                    // named in the timeout's message when it is never drawn
                    assertThat(missing).as("charts without their series").isEmpty();
                    return true;
                });
        assertThat(browser.findElements(By.cssSelector("#winner-timeline [data-field=winner]")))
                .isNotEmpty();

        // 3. another market: other numbers, again equal to the views
        selectMarket("ETH/USD");
        Map<String, String> eth = waitForMinuteMatchingViews("ETH/USD");
        assertThat(new BigDecimal(eth.get("mid/all")))
                .isLessThan(new BigDecimal(btc.get("mid/all")));

        // 4. a fault injected now appears in the feed-health panel, as ingest_errors counts it
        String type = stream ? "checksum_mismatch" : "http_status";
        String ofType =
                "FROM ingest_errors FINAL WHERE exchange = 'kraken' AND error_type = '"
                        + type
                        + "'";
        assertThat(ClickHouseTestServer.query("SELECT count() " + ofType).get(0).get(0))
                .isEqualTo("0");
        if (stream) {
            streamSim.injectFault("kraken", StreamFault.CORRUPT_CHECKSUM);
        } else {
            sim.injectFault("kraken", Fault.HTTP_500, 4);
        }
        await(
                "the injected " + type + " errors in the feed-health panel",
                () -> {
                    long total =
                            Long.parseLong(
                                    ClickHouseTestServer.query("SELECT count() " + ofType)
                                            .get(0)
                                            .get(0));
                    if (total < (stream ? 1 : 4)) {
                        return false;
                    }
                    for (String market : List.of("ETH/USD", "BTC/USD")) {
                        selectMarket(market);
                        String inMarket = " AND market IN ('" + market + "', '')";
                        String count =
                                ClickHouseTestServer.query("SELECT count() " + ofType + inMarket)
                                        .get(0)
                                        .get(0);
                        String latest =
                                ClickHouseTestServer.query(
                                                "SELECT countIf(exchange = 'kraken' AND error_type = '"
                                                        + type
                                                        + "') FROM"
                                                        + " (SELECT exchange, error_type FROM ingest_errors FINAL WHERE market IN ('"
                                                        + market
                                                        + "', '')"
                                                        + " ORDER BY received_at DESC, exchange LIMIT 10)")
                                        .get(0)
                                        .get(0);
                        String page =
                                String.valueOf(
                                        js(
                                                "const e = document.querySelector('#health [data-venue=kraken][data-field=error-count]"
                                                        + "[data-error-type="
                                                        + type
                                                        + "]'); return e ? e.dataset.value : '0';"));
                        String listed =
                                String.valueOf(
                                        js(
                                                "return document.querySelectorAll("
                                                        + "'#latest-errors [data-venue=kraken][data-error-type="
                                                        + type
                                                        + "]').length;"));
                        if (!page.equals(count) || !listed.equals(latest)) {
                            return false;
                        }
                    }
                    return true;
                });
        if (stream) {
            return; // the README's screenshot is of the poll run
        }

        // 5. the README's screenshot, of the real page on simulated data
        selectMarket("BTC/USD");
        waitForMinuteMatchingViews("BTC/USD");
        await(
                "charts redrawn",
                () ->
                        drawn("[data-chart=depth][data-venue=kraken]", "#d1495b")
                                && drawn("#mid-chart", "#d62728"));
        await(
                "ten minutes on the page",
                () -> browser.findElements(By.cssSelector("#minutes tbody tr")).size() >= 10);
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        Files.write(Path.of("target", "dashboard.png"), png);
        // the README's copy is refreshed on request only, so that a test run leaves the work tree
        // clean
        String readmeCopy = System.getProperty("dashboard.screenshot");
        if (readmeCopy != null) {
            Files.write(Path.of(readmeCopy), png);
        }
    }

    private void selectMarket(String market) throws InterruptedException {
        await(
                "market " + market + " offered",
                () ->
                        !browser.findElements(
                                        By.cssSelector("#market option[value='" + market + "']"))
                                .isEmpty());
        new Select(browser.findElement(By.id("market"))).selectByValue(market);
        await(
                "the page showing " + market,
                () -> market.equals(js("return document.body.dataset.market || ''")));
    }

    /**
     * Waits until the page's latest minute that has a mid for every venue, {@code all} and all four
     * best venues equals the BI views in every number; returns that minute's values by {@code
     * field/venue} and {@code field/side/notional}.
     */
    private Map<String, String> waitForMinuteMatchingViews(String market)
            throws InterruptedException {
        Map<String, String> matched = new HashMap<>();
        await(
                "a minute of " + market + " on the page equal to the BI views",
                () -> {
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> cells =
                            (List<Map<String, Object>>)
                                    js(
                                            "const rows = Array.from(document.querySelectorAll('#minutes tbody tr[data-market=\""
                                                    + market
                                                    + "\"]'));"
                                                    + "for (const tr of rows) {"
                                                    + "  const cells = Array.from(tr.querySelectorAll('[data-field=mid][data-value],[data-field=best-venue],[data-field=best-avg-price]'));"
                                                    + "  if (cells.filter(c => c.dataset.field === 'mid').length >= 3 && cells.filter(c => c.dataset.field === 'best-venue').length === 4)"
                                                    + "    return cells.map(c => ({window: c.dataset.window, field: c.dataset.field, venue: c.dataset.venue || '', side: c.dataset.side || '',"
                                                    + "      notional: c.dataset.notional || '', value: c.dataset.value, text: c.textContent}));"
                                                    + "}"
                                                    + "return [];");
                    if (cells.isEmpty()) {
                        return false;
                    }
                    String window = (String) cells.get(0).get("window");
                    Map<String, String> page = new HashMap<>();
                    for (Map<String, Object> c : cells) {
                        String field = (String) c.get("field");
                        String key =
                                field.equals("mid")
                                        ? "mid/" + c.get("venue")
                                        : field + "/" + c.get("side") + "/" + c.get("notional");
                        page.put(key, (String) c.get("value"));
                        if (!field.equals("best-venue")) {
                            // the shown text is the exact value to 2 decimals
                            BigDecimal shown = new BigDecimal((String) c.get("text"));
                            assertThat(
                                            shown.subtract(new BigDecimal((String) c.get("value")))
                                                    .abs())
                                    .isLessThanOrEqualTo(new BigDecimal("0.005"));
                        }
                    }
                    Map<String, String> views = new HashMap<>();
                    String at =
                            "window_start = fromUnixTimestamp64Milli(toInt64("
                                    + window
                                    + ")) AND market = '"
                                    + market
                                    + "'";
                    for (List<String> r :
                            ClickHouseTestServer.query(
                                    "SELECT exchange, toString(mid) FROM bi_mid_price_1m WHERE "
                                            + at)) {
                        views.put("mid/" + r.get(0), r.get(1));
                    }
                    // the page shows the best venue of the notionals it has columns for (the job
                    // quotes the whole ladder)
                    String shownNotionals =
                            String.join(
                                    ",",
                                    cells.stream()
                                            .map(c -> (String) c.get("notional"))
                                            .filter(n -> n != null && !n.isEmpty())
                                            .distinct()
                                            .toList());
                    for (List<String> r :
                            ClickHouseTestServer.query(
                                    "SELECT side, notional, exchange, toString(avg_price) FROM bi_best_execution_1m WHERE "
                                            + at
                                            + " AND notional IN ("
                                            + shownNotionals
                                            + ")")) {
                        views.put("best-venue/" + r.get(0) + "/" + r.get(1), r.get(2));
                        views.put("best-avg-price/" + r.get(0) + "/" + r.get(1), r.get(3));
                    }
                    if (!page.equals(views)) {
                        return false;
                    }
                    matched.clear();
                    matched.putAll(page);
                    return true;
                });
        return matched;
    }

    /** Whether the canvas under {@code selector} has pixels of the series colour {@code hex}. */
    private boolean drawn(String selector, String hex) {
        Object n =
                js(
                        "const c = document.querySelector('"
                                + selector
                                + " canvas'); if (!c) return 0;"
                                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                                + "const r = parseInt('"
                                + hex
                                + "'.substr(1, 2), 16), g = parseInt('"
                                + hex
                                + "'.substr(3, 2), 16), b = parseInt('"
                                + hex
                                + "'.substr(5, 2), 16);"
                                + "let n = 0; for (let i = 0; i < d.length; i += 4) {"
                                + "  if (d[i + 3] > 200 && Math.abs(d[i] - r) < 10 && Math.abs(d[i + 1] - g) < 10 && Math.abs(d[i + 2] - b) < 10) n++; }"
                                + "return n;");
        return ((Number) n).longValue() > 20;
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Check check) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception | AssertionError e) {
                last = e;
            }
            Thread.sleep(250); // poll interval, not synchronisation: the condition decides
        }
        throw new AssertionError(
                "timed out waiting for " + what + (last == null ? "" : ": " + last), last);
    }

    /**
     * Debian's chromium and chromium-driver, installed with apt-get when absent (tests run as root
     * in CI).
     */
    static final class Chromium {
        static final String BROWSER = "/usr/bin/chromium";
        static final String DRIVER = "/usr/bin/chromedriver";

        static synchronized void ensureInstalled() throws IOException, InterruptedException {
            if (Files.isExecutable(Path.of(BROWSER)) && Files.isExecutable(Path.of(DRIVER))) {
                return;
            }
            run(List.of("apt-get", "update"));
            run(List.of("apt-get", "install", "-y", "chromium", "chromium-driver"));
            if (!Files.isExecutable(Path.of(BROWSER)) || !Files.isExecutable(Path.of(DRIVER))) {
                throw new IOException(
                        "apt-get installed chromium and chromium-driver but "
                                + BROWSER
                                + " or "
                                + DRIVER
                                + " is missing");
            }
        }

        private static void run(List<String> command) throws IOException, InterruptedException {
            ProcessBuilder pb =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(
                                    ProcessBuilder.Redirect.appendTo(
                                            new File("target/apt-get.log")));
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(
                        String.join(" ", command) + " failed (as root? see target/apt-get.log)");
            }
        }
    }
}
