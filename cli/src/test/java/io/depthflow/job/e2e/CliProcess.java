package io.depthflow.job.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/depthflow <command> ...} as a real process: the CLI's {@code Main} in its own JVM with
 * the test class path, Flink's JDK 17 opens and the terminal's logging configuration, as
 * bin/depthflow starts it; standard output and error go to {@code <name>.out} / {@code <name>.err}
 * in a directory.
 */
public final class CliProcess {

    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts {@code args} in {@code dir} (the working directory), terminal files named {@code
     * name}.
     */
    public static CliProcess start(Path dir, String name, List<String> args) throws IOException {
        Path root = LocalFlinkCluster.repositoryRoot();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(List.of(OPENS.split("\\s+")));
        command.add("-Dlog4j.configurationFile=" + root.resolve("deploy/log4j2-cli.properties"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.depthflow.job.cli.Main");
        command.addAll(args);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process p =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
        return new CliProcess(p, out, err);
    }

    public Process process() {
        return process;
    }

    public String out() throws IOException {
        return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    }

    public String err() throws IOException {
        return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
    }

    /**
     * Waits for the process to exit; its exit code. Killed and failed when it outlasts the
     * deadline.
     */
    public int awaitExit(int timeoutSeconds) throws Exception {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            stop();
            throw new AssertionError(
                    "still running after "
                            + timeoutSeconds
                            + " s; its terminal:\n"
                            + err()
                            + out());
        }
        return process.exitValue();
    }

    /** Waits until standard error holds {@code text}; fails if the process exits first. */
    public void awaitErr(String text, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!err().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(
                        (process.isAlive()
                                        ? "did not print '"
                                                + text
                                                + "' within "
                                                + timeoutSeconds
                                                + " s"
                                        : "exited with " + process.exitValue())
                                + "; its terminal:\n"
                                + err());
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM (Ctrl-C), then SIGKILL when it does not end within a minute. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Flink's JDK 17 opens, as bin/depthflow passes them. */
    private static final String OPENS =
            String.join(
                    " ",
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
}
