package io.depthflow.job.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * A local Flink environment's addresses on loopback only, as {@code bin/depthflow run} sets them
 * ({@code io.depthflow.job.cli.RunCommand}, in the cli module, which the job's tests cannot see).
 */
public final class LoopbackFlink {

    private LoopbackFlink() {}

    /** {@code conf} with the JobManager's and TaskManager's addresses and binds on 127.0.0.1. */
    public static Configuration loopbackOnly(Configuration conf) {
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        return conf;
    }
}
