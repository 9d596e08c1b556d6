package io.depthflow.job.cli;

import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The Flink mini cluster of {@code bin/depthflow run}, as {@link
 * StreamExecutionEnvironment#createLocalEnvironmentWithWebUI} would start it (Flink's own {@link
 * LocalExecutor}, web UI included), except that {@code run} keeps hold of the {@link MiniCluster}:
 * a mini cluster closes its TaskManager for good on a fatal error (a task that fails while being
 * cancelled), after which the job waits for slots forever. {@link #replaceLostTaskManager} starts a
 * new one, and the job's restart strategy restores its latest checkpoint on it.
 */
final class LocalCluster {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    private final AtomicReference<MiniCluster> cluster = new AtomicReference<>();

    /**
     * A TaskManager registered once: zero afterwards means it was lost, not that it is starting.
     */
    private boolean registered;

    /** An environment whose jobs run on this mini cluster (started on the first execute). */
    StreamExecutionEnvironment environment(Configuration conf) {
        Configuration c = new Configuration(conf);
        c.set(DeploymentOptions.TARGET, LocalExecutor.NAME);
        c.set(DeploymentOptions.ATTACHED, true);
        PipelineExecutorFactory factory =
                new PipelineExecutorFactory() {
                    @Override
                    public String getName() {
                        return LocalExecutor.NAME;
                    }

                    @Override
                    public boolean isCompatibleWith(Configuration configuration) {
                        return true;
                    }

                    @Override
                    public PipelineExecutor getExecutor(Configuration configuration) {
                        return LocalExecutor.createWithFactory(
                                configuration,
                                miniClusterConfiguration -> {
                                    MiniCluster mc = new MiniCluster(miniClusterConfiguration);
                                    cluster.set(mc);
                                    return mc;
                                });
                    }
                };
        PipelineExecutorServiceLoader loader =
                new PipelineExecutorServiceLoader() {
                    @Override
                    public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
                        return factory;
                    }

                    @Override
                    public Stream<String> getExecutorNames() {
                        return Stream.of(LocalExecutor.NAME);
                    }
                };
        return new StreamExecutionEnvironment(
                loader, c, Thread.currentThread().getContextClassLoader());
    }

    /**
     * When the mini cluster has no TaskManager left, starts one and says so on {@code terminal};
     * never throws.
     */
    void replaceLostTaskManager(PrintStream terminal) {
        MiniCluster mc = cluster.get();
        if (mc == null || !mc.isRunning()) {
            return;
        }
        try {
            if (mc.getResourceOverview().get(5, TimeUnit.SECONDS).getNumberTaskManagers() > 0) {
                registered = true;
                return;
            }
            if (!registered) {
                return;
            }
            registered = false;
            terminal.println(
                    "depthflow: "
                            + JobEvents.TIME.format(Instant.now())
                            + " the local cluster lost its TaskManager (see the log); starting a new one, the job"
                            + " restarts on it from its latest checkpoint");
            mc.startTaskManager();
        } catch (Exception e) {
            LOG.warn("Could not check or replace the mini cluster's TaskManager", e);
        }
    }
}
