package io.depthflow.clickhouse.testing;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import java.util.Map;

/**
 * Reads a MiniCluster job's metrics from an {@link InMemoryReporter}, for the sink's fault tests.
 */
public final class JobMetrics {

    private JobMetrics() {}

    /** The sum of a metric over every subtask (gauges and counters) of the job. */
    public static long sum(InMemoryReporter reporter, JobID job, String name) {
        long total = 0;
        // by group: metric identifiers of operators that share a name collide
        for (Map.Entry<MetricGroup, Map<String, Metric>> g :
                reporter.getMetricsByGroup().entrySet()) {
            if (!job.toString().equals(g.getKey().getAllVariables().get("<job_id>"))) {
                continue;
            }
            Metric m = g.getValue().get(name);
            if (m instanceof Counter c) {
                total += c.getCount();
            } else if (m instanceof Gauge<?> gauge && gauge.getValue() instanceof Number v) {
                total += v.longValue();
            }
        }
        return total;
    }
}
