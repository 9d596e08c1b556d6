package io.depthflow.job.cli;

import io.depthflow.job.options.CommandModel;
import io.depthflow.job.options.ParsedOptions;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.venue.Venues;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.net.BindException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code depthflow simulate [--port P] [--ws-port W] [--seed S] [--rate R]}: the exchange simulator
 * in the foreground, REST book endpoints and WebSocket book feeds.
 */
final class SimulateCommand {

    /** The picocli model of {@code simulate}: its options and {@code --help}. */
    static CommandSpec spec() {
        String first = Venues.names().get(0);
        CommandSpec s =
                CommandModel.command(
                        "simulate",
                        "serve every venue's REST book endpoint and WebSocket feed on localhost",
                        "Serves every registered venue's REST book endpoint on 127.0.0.1:P under"
                                + " /<venue> ("
                                + String.join(", ", Venues.names())
                                + "), with moving books, and their WebSocket book feeds on"
                                + " 127.0.0.1:W, each in its venue's protocol (printed at start).",
                        "REST faults: POST /_sim/faults?exchange="
                                + first
                                + "&fault=http_500&times=2 (http_429, http_500, slow,"
                                + " malformed_json, exchange_error, crossed_book, empty_book).",
                        "Stream faults: drop_message, corrupt_checksum, disconnect, stale, on every"
                                + " open connection of the exchange or on &connection=last|ID"
                                + " (GET /_sim/connections lists them).");
        CommandModel.integer(s, "--port", "P", 0, 65_535, "the REST port (default 9000)");
        CommandModel.integer(s, "--ws-port", "W", 0, 65_535, "the WebSocket port (default P+1)");
        CommandModel.wholeNumber(s, "--seed", "S", "the books' random seed (default 1)");
        CommandModel.integer(
                s, "--rate", "R", 1, 100_000, "book messages per second per market (default 20)");
        return s;
    }

    private SimulateCommand() {}

    static int run(String[] argv, PrintStream out) throws Exception {
        ParsedOptions a = CommandModel.parse(spec(), argv);
        int port = a.value("--port", 9000);
        int wsPort = a.value("--ws-port", port == 0 ? 0 : port + 1);
        int rate = a.value("--rate", 20);
        long seed = a.value("--seed", 1L);
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
