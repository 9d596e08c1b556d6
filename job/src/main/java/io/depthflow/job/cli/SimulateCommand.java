package io.depthflow.job.cli;

import io.depthflow.sources.simulator.ExchangeSimulator;

import java.io.PrintStream;
import java.util.Set;

/** {@code depthflow simulate [--port P] [--seed S]}: the exchange simulator in the foreground. */
final class SimulateCommand {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: bin/depthflow simulate [--port P] [--seed S]",
                    "  serves Coinbase Exchange and Kraken REST book endpoints on 127.0.0.1:P (default 9000)",
                    "  under /coinbase and /kraken, with moving books; faults: POST /_sim/faults?exchange=kraken&fault=http_500&times=2",
                    "  (faults: http_429, http_500, slow, malformed_json, exchange_error, crossed_book, empty_book)");

    private SimulateCommand() {}

    static int run(String[] argv, PrintStream out) throws Exception {
        Args a = Args.parse("simulate", argv, Set.of("--port", "--seed"), Set.of());
        if (!a.positional().isEmpty()) {
            throw new UsageException("simulate: unexpected argument '" + a.positional().get(0) + "'");
        }
        int port = a.intValue("--port", 9000, 0, 65_535);
        String seed = a.get("--seed", "1");
        try {
            Long.parseLong(seed);
        } catch (NumberFormatException e) {
            throw new UsageException("simulate: --seed must be a whole number, got '" + seed + "'");
        }
        try {
            ExchangeSimulator.main(new String[] {"--port", String.valueOf(port), "--seed", seed});
        } catch (java.net.BindException e) {
            throw new CommandException("simulate: port " + port + " is in use; pick another with --port");
        }
        return 0;
    }
}
