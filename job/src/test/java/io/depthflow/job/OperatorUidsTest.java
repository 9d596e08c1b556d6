package io.depthflow.job;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;

import io.depthflow.job.options.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoint compatibility starts with the job graph: every operator carries an explicit uid (the
 * job sets {@code pipeline.auto-generate-uids: false}), each one from {@link OperatorIds} (or the
 * cross-exchange SQL's renumbered planner uids), and building the same job again in the same JVM,
 * as a session cluster's JobManager does for every REST submission, gives the same uids.
 */
class OperatorUidsTest {

    private static final String CLICKHOUSE = "jdbc:clickhouse://127.0.0.1:8123/default";

    @TempDir Path dir;

    @Test
    void shouldGiveEveryOperatorAnExplicitUidFromOperatorIds() throws Exception {
        Path capture = Files.writeString(dir.resolve("capture.jsonl"), "");
        List<String> poll = uids("--clickhouse-url", CLICKHOUSE);
        List<String> replay = uids("--clickhouse-url", CLICKHOUSE, "--replay", capture.toString());

        Set<String> constants = operatorIdConstants();
        for (List<String> uids : List.of(poll, replay)) {
            assertThat(uids).doesNotContainNull().doesNotHaveDuplicates();
            for (String uid : uids) {
                String own =
                        uid.replaceFirst(
                                "^Sink Committer: ", ""); // Flink derives it from the sink's uid
                assertThat(
                                constants.contains(own)
                                        || own.matches(
                                                OperatorIds.CROSS_EXCHANGE_SQL_PREFIX
                                                        + "-\\d+-[a-z-]+"))
                        .as("uid %s is an OperatorIds constant or a cross-exchange SQL uid", uid)
                        .isTrue();
            }
            assertThat(uids)
                    .contains(
                            OperatorIds.MINUTE_AGGREGATOR,
                            OperatorIds.PARSE_BOOKS,
                            OperatorIds.SINK_BEST)
                    .anyMatch(u -> u.matches("cross-sql-\\d+-global-window-aggregate"));
        }
        assertThat(poll).contains(OperatorIds.SOURCE_REST_BOOKS);
        assertThat(replay)
                .contains(
                        OperatorIds.SOURCE_REPLAY,
                        OperatorIds.DECODE_CAPTURE,
                        OperatorIds.REPLAY_WATERMARKS);
    }

    @Test
    void shouldAssignTheSameUidsWhenTheJobIsBuiltAgainInTheSameJvm() throws Exception {
        List<String> first = uids("--clickhouse-url", CLICKHOUSE);
        List<String> second = uids("--clickhouse-url", CLICKHOUSE);

        assertThat(second).containsExactlyInAnyOrderElementsOf(first);
    }

    /** The uid of every node of the job's stream graph, for the given run options. */
    private static List<String> uids(String... args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RunOptions opts = RunOptions.parse(args);
        PollWorkflow.build(env, opts, JobEnvironment.sinkOptions(opts.clickhouseUrl), opts.clock());
        List<String> uids = new ArrayList<>();
        for (StreamNode n : env.getStreamGraph().getStreamNodes()) {
            uids.add(n.getTransformationUID());
        }
        return uids;
    }

    private static Set<String> operatorIdConstants() throws IllegalAccessException {
        Set<String> out = new HashSet<>();
        for (Field f : OperatorIds.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                out.add((String) f.get(null));
            }
        }
        return out;
    }
}
