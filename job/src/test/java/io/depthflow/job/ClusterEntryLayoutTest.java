package io.depthflow.job;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster entry ({@link DepthflowJob#main}) and the composition roots it uses ({@link
 * PollWorkflow}, {@link StreamWorkflow}) do not depend on the command line tool: starting from
 * their sources under {@code job/src/main/java}, every depthflow-job class they reach through
 * imports, fully qualified names or same-package references is read, and none is in, imports or
 * names {@code io.depthflow.job.cli}. A check on the sources (comments removed), without ArchUnit.
 */
class ClusterEntryLayoutTest {

    private static final String CLI = "io.depthflow.job.cli";
    private static final Pattern JOB_NAME =
            Pattern.compile(
                    "\\bio\\.depthflow\\.job(?:\\.[a-z][a-z0-9_]*)*(?:\\.[A-Z]\\w*|\\.\\*)");
    private static final Pattern IDENTIFIER = Pattern.compile("\\b[A-Z]\\w*\\b");

    @Test
    void shouldReachNoCliClassFromTheClusterEntryOrTheWorkflows() throws IOException {
        Map<String, String> reached =
                reachableFrom(
                        "io.depthflow.job.DepthflowJob",
                        "io.depthflow.job.PollWorkflow",
                        "io.depthflow.job.StreamWorkflow");

        assertThat(reached)
                .containsKeys(
                        "io.depthflow.job.options.RunOptions",
                        "io.depthflow.job.JobEnvironment",
                        "io.depthflow.job.functions.BookBuilder");
        assertThat(reached.keySet()).noneMatch(c -> c.startsWith(CLI + "."));
        reached.forEach(
                (name, code) ->
                        assertThat(code).as("%s names the cli package", name).doesNotContain(CLI));
    }

    @Test
    void shouldSeeACliReferenceInCodeButNotInAComment() {
        assertThat(
                        code(
                                "/** {@code io.depthflow.job.cli} */ class A { // io.depthflow.job.cli.Main\n }"))
                .doesNotContain(CLI);
        assertThat(
                        references(
                                "io.depthflow.job",
                                code(
                                        "class A { void m() { io.depthflow.job.cli.Main.runOnCluster(null); } }")))
                .contains("io.depthflow.job.cli.Main");
        assertThat(
                        references(
                                "io.depthflow.job",
                                code("import io.depthflow.job.cli.*;\nclass A {}")))
                .contains("io.depthflow.job.cli.*");
    }

    /**
     * Class name -> its code without comments, for every job class reachable from {@code roots}.
     */
    private static Map<String, String> reachableFrom(String... roots) throws IOException {
        Path sources = sourceRoot();
        Map<String, String> seen = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(roots));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (name.endsWith(".*")) {
                String pkg = name.substring(0, name.length() - 2);
                Path dir = sources.resolve(pkg.replace('.', '/'));
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        files.map(f -> f.getFileName().toString())
                                .filter(f -> f.endsWith(".java"))
                                .forEach(
                                        f -> todo.push(pkg + "." + f.substring(0, f.length() - 5)));
                    }
                }
                seen.putIfAbsent(name, "");
                continue;
            }
            Path file = sources.resolve(name.replace('.', '/') + ".java");
            if (seen.containsKey(name) || !Files.isRegularFile(file)) {
                continue; // a nested class (Outer.Inner resolves to no file) or already read
            }
            String code = code(Files.readString(file));
            seen.put(name, code);
            String pkg = name.substring(0, name.lastIndexOf('.'));
            for (String ref : references(pkg, code)) {
                todo.push(ref);
            }
        }
        return seen;
    }

    /** The job classes {@code code} (of package {@code pkg}) names: qualified, or same-package. */
    private static TreeSet<String> references(String pkg, String code) {
        TreeSet<String> out = new TreeSet<>();
        Matcher m = JOB_NAME.matcher(code);
        while (m.find()) {
            out.add(m.group());
        }
        Matcher id = IDENTIFIER.matcher(code);
        while (id.find()) {
            out.add(pkg + "." + id.group());
        }
        return out;
    }

    /** Java source without its comments (string literals are left as they are). */
    static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }

    private static Path sourceRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("job/src/main/java");
            if (Files.isDirectory(candidate.resolve("io/depthflow/job"))) {
                return candidate;
            }
            if (Files.isDirectory(dir.resolve("src/main/java/io/depthflow/job"))) {
                return dir.resolve("src/main/java");
            }
        }
        throw new IllegalStateException(
                "No job/src/main/java above " + Path.of("").toAbsolutePath());
    }
}
