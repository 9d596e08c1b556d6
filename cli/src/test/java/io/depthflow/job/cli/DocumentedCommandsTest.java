package io.depthflow.job.cli;

import io.depthflow.job.options.CommandModel;
import io.depthflow.job.options.RunOptions;
import io.depthflow.job.options.UsageException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code bin/depthflow} command line in a code block of the repository's Markdown files
 * (README, DECISIONS, module READMEs), and the run options the deployments pass to the cluster
 * entry (docker-compose, Kubernetes), parse against the commands' picocli models: an option the
 * documentation shows exists, takes a value where it is given one, and is not a flag given a value.
 */
class DocumentedCommandsTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void shouldParseEveryDocumentedCommandLine() throws IOException {
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (Path md : markdownFiles()) {
            for (String line : commandLines(Files.readString(md, StandardCharsets.UTF_8))) {
                List<String> words = words(line);
                if (words.size() < 2 || words.get(1).startsWith("-")) {
                    continue; // bin/depthflow --help
                }
                String command = words.get(1);
                String[] args = words.subList(2, words.size()).toArray(new String[0]);
                try {
                    CommandModel.parse(Main.spec(command), args);
                    parsed++;
                } catch (UsageException | IllegalArgumentException e) {
                    failures.add(ROOT.relativize(md) + ": " + line + " -> " + e.getMessage());
                }
            }
        }
        assertThat(failures).isEmpty();
        // 26 lines as of this writing: a test that found none would prove nothing
        assertThat(parsed).isGreaterThanOrEqualTo(20);
    }

    @Test
    void shouldParseTheRunOptionsTheDeploymentsPassToTheClusterEntry() throws Exception {
        // docker-compose.yml's submit service: submit.sh adds --clickhouse-url
        RunOptions compose =
                RunOptions.parse(
                        new String[] {
                            "--clickhouse-url",
                            "jdbc:clickhouse://clickhouse:8123/default",
                            "--kafka-bootstrap",
                            "kafka:9092",
                            "--parallelism",
                            "2"
                        });
        assertThat(compose.parallelism).isEqualTo(2);
        assertThat(compose.kafka.bootstrapServers()).isEqualTo("kafka:9092");
        String composeYml = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertThat(composeYml)
                .contains(
                        "command: [\"--kafka-bootstrap\", \"kafka:9092\", \"--parallelism\", \"2\"]");
        String k8s = Files.readString(ROOT.resolve("deploy/k8s/flink-deployment.yaml"));
        assertThat(k8s)
                .contains("      - --clickhouse-url\n")
                .contains("      - --kafka-bootstrap\n")
                .contains("      - --parallelism\n");
    }

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(p -> p.toString().endsWith(".md"))
                    .filter(
                            p -> {
                                String r = ROOT.relativize(p).toString();
                                return !r.startsWith(".git")
                                        && !r.contains("target/")
                                        && !r.contains("node_modules/");
                            })
                    .sorted()
                    .toList();
        }
    }

    /**
     * The {@code bin/depthflow ...} lines inside fenced code blocks, continuation lines joined,
     * without a prompt, a trailing comment, a redirection, a pipe or {@code &}.
     */
    static List<String> commandLines(String markdown) {
        List<String> out = new ArrayList<>();
        boolean inCode = false;
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.strip().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (!inCode) {
                continue;
            }
            String s = line.strip();
            if (s.startsWith("$ ")) {
                s = s.substring(2);
            }
            if (!s.startsWith("bin/depthflow ")) {
                continue;
            }
            while (s.endsWith("\\") && i + 1 < lines.length) {
                s = s.substring(0, s.length() - 1) + " " + lines[++i].strip();
            }
            out.add(s);
        }
        return out;
    }

    /**
     * A command line split the way a shell would for these simple lines: quotes group words, and
     * the line ends at {@code #}, {@code &}, {@code |}, {@code ;}, {@code <} or {@code >} outside
     * quotes. {@code ...} (elided arguments) is dropped, a synopsis' {@code [optional]} brackets
     * too.
     */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                w = w == null ? new StringBuilder() : w;
                continue;
            }
            if ("#&|;<>".indexOf(c) >= 0) {
                break;
            }
            if (c == '[' || c == ']') {
                continue; // a synopsis' optional part: parse it as given
            }
            if (Character.isWhitespace(c)) {
                if (w != null) {
                    words.add(w.toString());
                    w = null;
                }
                continue;
            }
            w = w == null ? new StringBuilder() : w;
            w.append(c);
        }
        if (w != null) {
            words.add(w.toString());
        }
        words.removeIf(s -> s.equals("..."));
        return words;
    }
}
