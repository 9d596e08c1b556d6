package io.depthflow.job.cli;

import io.depthflow.job.options.RunOptions;
import io.depthflow.job.options.UsageException;
import io.depthflow.sources.venue.Venue;
import io.depthflow.sources.venue.Venues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The command line contract on picocli's model: {@code --help} of every command prints its model
 * and exits 0; a usage error is one line and exit 2 (an unknown option, a missing value, a value of
 * the wrong type, an unknown command); the per-venue options come from the venue registry; the
 * README quotes {@code bin/depthflow --help} as it is.
 */
class CliUsageTest {

    private static void assertUsageError(CliRun r, String expectedLine) {
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(expectedLine + System.lineSeparator());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "run",
                "demo",
                "quote",
                "route",
                "sql",
                "migrate",
                "simulate",
                "record",
                "verify",
                "dashboard"
            })
    void shouldPrintEachCommandsHelpAndExitZero(String command) {
        for (String flag : new String[] {"--help", "-h"}) {
            CliRun r = CliRun.exec(command, flag);
            assertThat(r.code()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out())
                    .startsWith("usage: bin/depthflow " + command + " ")
                    .contains("-h, --help")
                    .isEqualTo(Main.usage(command) + System.lineSeparator());
        }
        // help wins over arguments that would be a usage error
        CliRun withBadArgs = CliRun.exec(command, "--no-such-option", "--help");
        assertThat(withBadArgs.code()).isZero();
        assertThat(withBadArgs.out()).startsWith("usage: bin/depthflow " + command + " ");
    }

    @Test
    void shouldListEveryCommandWithItsHeaderInTheProgramsHelp() {
        CliRun r = CliRun.exec("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .startsWith("usage: bin/depthflow <command> [options]")
                .contains("  run        run the pipeline in a local Flink mini cluster")
                .contains("  dashboard  serve the live web dashboard over an existing ClickHouse")
                .contains("bin/depthflow <command> --help shows a command's options.");
        CliRun none = CliRun.exec();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).isEqualTo(r.out());
    }

    @Test
    void shouldRefuseAnUnknownOptionWithOneLine() {
        assertUsageError(
                CliRun.exec("run", "--exchange", "kraken"),
                "depthflow run: unknown option --exchange (see bin/depthflow run --help)");
        assertUsageError(
                CliRun.exec("quote", "--bogus=1"),
                "depthflow quote: unknown option --bogus (see bin/depthflow quote --help)");
        assertUsageError(
                CliRun.exec("sql", "-x", "SELECT 1"),
                "depthflow sql: unknown option -x (see bin/depthflow sql --help)");
    }

    @Test
    void shouldRefuseAMissingValueWithOneLine() {
        assertUsageError(
                CliRun.exec("run", "--interval"), "depthflow run: --interval needs a value");
        // the next argument is an option, not the value
        assertUsageError(
                CliRun.exec("run", "--interval", "--quiet"),
                "depthflow run: --interval needs a value");
        assertUsageError(
                CliRun.exec("run", "--data-dir", "--no-such"),
                "depthflow run: --data-dir needs a value");
        assertUsageError(CliRun.exec("sql", "-f"), "depthflow sql: --file needs a value");
    }

    @Test
    void shouldRefuseAValueOfTheWrongTypeWithOneLine() {
        assertUsageError(
                CliRun.exec("run", "--parallelism", "many"),
                "depthflow run: --parallelism must be an integer from 1 to 256, got 'many'");
        assertUsageError(
                CliRun.exec("run", "--interval", "soon"),
                "depthflow run: --interval must be a duration like 500ms, 60s, 5m or 1h, got 'soon'");
        assertUsageError(
                CliRun.exec("simulate", "--seed", "x1"),
                "depthflow simulate: --seed must be a whole number, got 'x1'");
        assertUsageError(
                CliRun.exec("run", "--stale-after", "0s"),
                "depthflow run: --stale-after must be positive, got '0s'");
        // demo's ports are its own options now, checked before anything starts
        assertUsageError(
                CliRun.exec("demo", "--web-port", "http"),
                "depthflow demo: --web-port must be an integer from 0 to 65535, got 'http'");
        assertUsageError(
                CliRun.exec(
                        "record", "--mode", "stream", "--out", "x.jsonl", "--kraken-depth", "deep"),
                "depthflow record: --kraken-depth must be an integer from 1 to 2147483647, got 'deep'");
        assertUsageError(
                CliRun.exec("run", "--quiet=yes"), "depthflow run: --quiet takes no value");
    }

    @Test
    void shouldRefuseAnUnexpectedArgumentWithOneLine() {
        assertUsageError(CliRun.exec("run", "now"), "depthflow run: unexpected argument 'now'");
        assertUsageError(
                CliRun.exec("dashboard", "--port", "1", "extra"),
                "depthflow dashboard: unexpected argument 'extra'");
    }

    @Test
    void shouldRefuseAnUnknownCommandWithOneLine() {
        assertUsageError(
                CliRun.exec("serve", "--port", "1"),
                "depthflow: unknown command 'serve' (commands: run, demo, quote, route, sql,"
                        + " migrate, simulate, record, verify, dashboard; see bin/depthflow --help)");
    }

    @Test
    void shouldTakeValuesAttachedWithAnEqualsSignAndNegativeNumbers() throws Exception {
        RunOptions o = RunOptions.parse(new String[] {"--parallelism=3", "--exchanges=kraken"});
        assertThat(o.parallelism).isEqualTo(3);
        assertThat(o.exchanges).containsExactly("kraken");
        // a negative number is a value, not an unknown option; the range check refuses it
        assertThatThrownBy(() -> RunOptions.parse(new String[] {"--parallelism", "-1"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("run: --parallelism must be an integer from 1 to 256, got '-1'");
        // a repeated single-value option keeps the last value, a list option joins its repeats
        RunOptions r =
                RunOptions.parse(
                        new String[] {
                            "--parallelism", "3", "--parallelism", "4",
                            "--markets", "BTC/USD", "--markets", "ETH/USD"
                        });
        assertThat(r.parallelism).isEqualTo(4);
        assertThat(r.markets).containsExactly("BTC/USD", "ETH/USD");
    }

    @Test
    void shouldTakeValuesThatStartWithOneDashOrAnAtSignLiterally() throws Exception {
        RunOptions o =
                RunOptions.parse(
                        new String[] {
                            "--kafka-bootstrap", "127.0.0.1:9092",
                            "--source", "kafka",
                            "--kafka-group-id", "-group"
                        });
        assertThat(o.kafka.groupId()).isEqualTo("-group");
        // not a picocli argument file: the literal name, which does not exist
        assertUsageError(
                CliRun.exec(
                        "quote",
                        "--exchange",
                        "kraken",
                        "--market",
                        "BTC/USD",
                        "--book",
                        "@pom.xml"),
                "depthflow quote: --book @pom.xml: no such file");
    }

    @Test
    void shouldGenerateThePerVenueOptionsFromTheRegistry() throws Exception {
        String run = Main.usage("run");
        String record = Main.usage("record");
        for (Venue v : Venues.ALL) {
            String name = v.name();
            assertThat(run)
                    .contains("--" + name + "-url=URL")
                    .contains(v.rest().defaultBaseUrl())
                    .contains("--" + name + "-ws-url=URL")
                    .contains(v.stream().defaultUrl());
            assertThat(record).contains("--" + name + "-url=URL").contains("--" + name + "-ws-url");
            if (!v.stream().depths().isEmpty()) {
                assertThat(run).contains("--" + name + "-depth=N");
            } else {
                assertThat(run).doesNotContain("--" + name + "-depth");
            }
            // and each parses
            RunOptions o =
                    RunOptions.parse(
                            new String[] {
                                "--" + name + "-url", "http://127.0.0.1:1/" + name,
                                "--" + name + "-ws-url", "ws://127.0.0.1:2/" + name
                            });
            assertThat(o.restUrls.get(name)).isEqualTo("http://127.0.0.1:1/" + name);
            assertThat(o.wsUrls.get(name)).isEqualTo("ws://127.0.0.1:2/" + name);
        }
    }

    @Test
    void shouldRefuseAModesOptionsInTheOtherRecordMode() {
        assertUsageError(
                CliRun.exec("record", "--out", "x.jsonl", "--kraken-ws-url", "ws://127.0.0.1:1"),
                "depthflow record: --kraken-ws-url is for --mode stream");
        assertUsageError(
                CliRun.exec("record", "--mode", "stream", "--out", "x.jsonl", "--interval", "10s"),
                "depthflow record: --interval is for --mode poll");
    }

    /** README "Command line" quotes {@code bin/depthflow --help}: it must be what it prints. */
    @Test
    void shouldQuoteTheProgramsHelpInTheReadme() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Matcher m =
                Pattern.compile("```text\\n\\$ bin/depthflow --help\\n(.*?)```", Pattern.DOTALL)
                        .matcher(text);
        assertThat(m.find()).as("README quotes bin/depthflow --help in a ```text block").isTrue();
        assertThat(m.group(1).stripTrailing()).isEqualTo(Main.usage(null));
    }
}
