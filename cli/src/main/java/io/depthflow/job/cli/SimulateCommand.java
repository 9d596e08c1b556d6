package io.depthflow.job.cli;

import io.depthflow.job.options.Args;
import io.depthflow.job.options.UsageException;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.venue.Venues;

import java.io.PrintStream;
import java.net.BindException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code depthflow simulate [--port P] [--ws-port W] [--seed S] [--rate R]}: the exchange simulator
 * in the foreground, REST book endpoints and WebSocket book feeds.
 */
final class SimulateCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: bin/depthflow simulate [--port P] [--ws-port W] [--seed S] [--rate R]",
                    "  serves every registered venue's REST book endpoint on 127.0.0.1:P (default 9000) under /<venue>",
                    "  ("
                            + String.join(", ", io.depthflow.sources.venue.Venues.names())
                            + "), with moving books;"
                            + " faults: POST /_sim/faults?exchange=kraken&fault=http_500&times=2",
                    "  (faults: http_429, http_500, slow, malformed_json, exchange_error, crossed_book, empty_book)",
                    "  and their WebSocket book feeds on 127.0.0.1:W (default P+1), each in its venue's protocol (printed at start), R book messages",
                    "  per second per market (default 20); stream faults: drop_message, corrupt_checksum, disconnect, stale,",
                    "  on every open connection of the exchange or on &connection=last|ID (GET /_sim/connections lists them)");

    private SimulateCommand() {}

    static int run(String[] argv, PrintStream out) throws Exception {
        Args a =
                Args.parse(
                        "simulate",
                        argv,
                        Set.of("--port", "--ws-port", "--seed", "--rate"),
                        Set.of());
        if (!a.positional().isEmpty()) {
            throw new UsageException(
                    "simulate: unexpected argument '" + a.positional().get(0) + "'");
        }
        int port = a.intValue("--port", 9000, 0, 65_535);
        int wsPort = a.intValue("--ws-port", port == 0 ? 0 : port + 1, 0, 65_535);
        int rate = a.intValue("--rate", 20, 1, 100_000);
        String seedText = a.get("--seed", "1");
        long seed;
        try {
            seed = Long.parseLong(seedText);
        } catch (NumberFormatException e) {
            throw new UsageException(
                    "simulate: --seed must be a whole number, got '" + seedText + "'");
        }
        StreamSimulator streams;
        try {
            streams =
                    StreamSimulator.builder()
                            .port(wsPort)
                            .seed(seed)
                            .messagesPerSecond(rate)
                            .start();
        } catch (java.io.IOException e) {
            throw new CommandException(
                    "simulate: cannot serve WebSockets on port "
                            + wsPort
                            + " ("
                            + Main.rootMessage(e)
                            + "); pick another with --ws-port");
        }
        ExchangeSimulator rest;
        try {
            rest = ExchangeSimulator.builder().port(port).seed(seed).streams(streams).start();
        } catch (BindException e) {
            streams.close();
            throw new CommandException(
                    "simulate: port " + port + " is in use; pick another with --port");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    rest.close();
                                    streams.close();
                                    stopped.countDown();
                                }));
        for (String venue : Venues.names()) {
            out.println(
                    String.format(
                            "%-11s %-36s %s", venue, rest.baseUrl(venue), streams.url(venue)));
        }
        out.println(
                "faults      curl -X POST '"
                        + rest.baseUrl("_sim")
                        + "/faults?exchange=kraken&fault=corrupt_checksum'");
        stopped.await();
        return 0;
    }
}
