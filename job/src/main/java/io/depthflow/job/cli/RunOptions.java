package io.depthflow.job.cli;

import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The options of {@code bin/depthflow run} (and of the cluster entry point, which takes the same
 * flags), validated once. Immutable.
 */
public final class RunOptions {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: bin/depthflow run [options]",
                    "  --exchanges coinbase,kraken      exchanges to poll (default both)",
                    "  --markets BTC/USD,ETH/USD        markets (default both)",
                    "  --interval 60s                   poll interval per exchange and market",
                    "  --clickhouse-url URL             a ClickHouse JDBC URL (jdbc:clickhouse://host:8123/default);",
                    "                                   user/password from CLICKHOUSE_USER / CLICKHOUSE_PASSWORD",
                    "  --data-dir DIR                   embedded ClickHouse data directory (default ./data)",
                    "  --replay FILE                    run over a capture file instead of live polls, then exit",
                    "  --duration D                     stop polling after D (e.g. 10m), write the last windows, exit",
                    "  --notionals 50000,100000         quote notionals in USD",
                    "  --coinbase-url URL               Coinbase Exchange REST base URL (default https://api.exchange.coinbase.com)",
                    "  --kraken-url URL                 Kraken REST base URL (default https://api.kraken.com)",
                    "  --out-of-orderness 5s            how late a message may arrive before its minute is closed",
                    "  --parallelism N                  Flink parallelism (default 2)",
                    "  --checkpoint-interval 30s        checkpoint interval (sinks flush on checkpoints)",
                    "  --raw-ttl-days N                 keep raw payloads N days (default 30)",
                    "  --web-port P                     Flink web UI port on localhost (default 8081; 0 = any free port)",
                    "  --quiet                          do not print the per-minute table",
                    "stream mode (live WebSocket books):",
                    "  --mode poll|stream               poll REST books (default) or stream the WebSocket feeds; with --replay,",
                    "                                   the capture's first line decides unless --mode is given",
                    "  --kraken-ws-url URL              Kraken WebSocket v2 URL (default wss://ws.kraken.com/v2)",
                    "  --coinbase-ws-url URL            Coinbase Advanced Trade WebSocket URL (default wss://advanced-trade-ws.coinbase.com)",
                    "  --kraken-depth N                 Kraken book depth: 10, 25, 100, 500 or 1000 (default 10)",
                    "  --stale-after 10s                a feed silent this long is stale: its books are dropped, it reconnects");

    static final Set<String> VALUE_FLAGS =
            Set.of(
                    "--exchanges", "--markets", "--interval", "--clickhouse-url", "--data-dir",
                    "--replay", "--duration", "--notionals", "--coinbase-url", "--kraken-url",
                    "--out-of-orderness", "--parallelism", "--checkpoint-interval",
                    "--raw-ttl-days", "--web-port",
                    "--mode", "--kraken-ws-url", "--coinbase-ws-url", "--kraken-depth", "--stale-after");

    static final Set<String> BOOLEAN_FLAGS = Set.of("--quiet");

    public final List<String> exchanges;
    public final List<String> markets;
    public final Duration interval;
    public final String clickhouseUrl;
    public final Path dataDir;
    public final Path replay;
    public final Duration duration;
    public final long[] notionals;
    public final String coinbaseUrl;
    public final String krakenUrl;
    public final Duration outOfOrderness;
    public final int parallelism;
    public final Duration checkpointInterval;
    public final int rawTtlDays;
    public final int webPort;
    public final boolean quiet;
    /** Stream mode: live WebSocket books (or a WebSocket capture replayed). */
    public final boolean stream;
    public final String krakenWsUrl;
    public final String coinbaseWsUrl;
    public final int krakenDepth;
    public final Duration staleAfter;

    private RunOptions(Args a) throws UsageException {
        if (!a.positional().isEmpty()) {
            throw new UsageException("run: unexpected argument '" + a.positional().get(0) + "'");
        }
        exchanges = a.list("--exchanges", Exchanges.ALL);
        for (String e : exchanges) {
            try {
                Exchanges.validate(e);
            } catch (IllegalArgumentException ex) {
                throw new UsageException("run: " + ex.getMessage());
            }
        }
        markets = a.list("--markets", List.of(Markets.BTC_USD, Markets.ETH_USD));
        for (String m : markets) {
            try {
                Markets.validate(m);
            } catch (IllegalArgumentException ex) {
                throw new UsageException("run: " + ex.getMessage());
            }
        }
        if (exchanges.isEmpty() || markets.isEmpty()) {
            throw new UsageException("run: --exchanges and --markets must name at least one each");
        }
        interval = a.duration("--interval", Duration.ofSeconds(60));
        clickhouseUrl = a.get("--clickhouse-url", null);
        if (clickhouseUrl != null && a.has("--data-dir")) {
            throw new UsageException("run: give either --clickhouse-url or --data-dir, not both");
        }
        if (clickhouseUrl != null && !clickhouseUrl.startsWith("jdbc:clickhouse:") && !clickhouseUrl.startsWith("jdbc:ch:")) {
            throw new UsageException("run: --clickhouse-url must be a JDBC URL like jdbc:clickhouse://127.0.0.1:8123/default, got '" + clickhouseUrl + "'");
        }
        dataDir = Path.of(a.get("--data-dir", "data"));
        replay = a.has("--replay") ? a.existingFile("--replay") : null;
        duration = a.duration("--duration", null);
        if (replay != null && (duration != null || a.has("--interval"))) {
            throw new UsageException("run: --replay runs over the file's own times; --duration and --interval do not apply");
        }
        List<String> ns = a.list("--notionals", List.of("50000", "100000"));
        if (ns.isEmpty()) {
            throw new UsageException("run: --notionals must name at least one notional");
        }
        notionals = new long[ns.size()];
        for (int i = 0; i < ns.size(); i++) {
            notionals[i] = a.positiveLong("--notionals", ns.get(i));
        }
        coinbaseUrl = url(a, "--coinbase-url", "https://api.exchange.coinbase.com");
        krakenUrl = url(a, "--kraken-url", "https://api.kraken.com");
        outOfOrderness = a.duration("--out-of-orderness", Duration.ofSeconds(5));
        parallelism = a.intValue("--parallelism", 2, 1, 256);
        checkpointInterval = a.duration("--checkpoint-interval", Duration.ofSeconds(30));
        rawTtlDays = a.intValue("--raw-ttl-days", 30, 1, 36_500);
        webPort = a.intValue("--web-port", 8081, 0, 65_535);
        quiet = a.has("--quiet");
        stream = StreamRun.isStreamMode(a.get("--mode", null), replay);
        if (stream && a.has("--interval")) {
            throw new UsageException("run: --interval is for poll mode; stream mode receives every book change");
        }
        krakenWsUrl = StreamRun.wsUrl(a.get("--kraken-ws-url", io.depthflow.sources.ws.FeedSettings.KRAKEN_URL), "--kraken-ws-url");
        coinbaseWsUrl = StreamRun.wsUrl(a.get("--coinbase-ws-url", io.depthflow.sources.ws.FeedSettings.COINBASE_URL), "--coinbase-ws-url");
        krakenDepth = StreamRun.krakenDepth(a.intValue("--kraken-depth", 10, 10, 1000));
        staleAfter = a.duration("--stale-after", Duration.ofSeconds(10));
    }

    private static String url(Args a, String flag, String def) throws UsageException {
        String v = a.get(flag, def);
        if (!v.startsWith("http://") && !v.startsWith("https://")) {
            throw new UsageException("run: " + flag + " must be an http(s) URL, got '" + v + "'");
        }
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }

    public static RunOptions parse(String[] argv) throws UsageException {
        return new RunOptions(Args.parse("run", argv, VALUE_FLAGS, BOOLEAN_FLAGS));
    }
}
