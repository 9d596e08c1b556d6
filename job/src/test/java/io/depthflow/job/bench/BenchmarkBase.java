package io.depthflow.job.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.concurrent.TimeUnit;

/**
 * Settings shared by depthflow's JMH benchmarks (as apache/flink-benchmarks' {@code
 * BenchmarkBase}): throughput in operations per second, one fork with a fixed heap, warm-up then
 * measurement iterations long enough for a 2-core machine to settle. Each benchmark class has a
 * {@code main()} that takes JMH's command-line options; run one with {@code ./mvnw -B -q -pl job
 * -am test-compile -Pbench -Dbench=BookUpdateBenchmark} (docs/BENCHMARKS.md).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@State(Scope.Thread)
public abstract class BenchmarkBase {

    /**
     * Runs the benchmarks of {@code benchmark}, with any JMH command-line options in {@code args}.
     */
    static void run(Class<?> benchmark, String[] args)
            throws RunnerException, CommandLineOptionException {
        new Runner(
                        new OptionsBuilder()
                                .parent(new CommandLineOptions(args))
                                .include("\\." + benchmark.getSimpleName() + "\\.")
                                .build())
                .run();
    }
}
