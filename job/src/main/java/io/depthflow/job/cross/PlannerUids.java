package io.depthflow.job.cross;

import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the uids of the operators the Table planner generated for a SQL stage independent of the
 * JVM that compiled it.
 *
 * <p>With {@code table.exec.uid.generation=ALWAYS} the planner names each operator {@code
 * <id>_<transformation>} ({@code table.exec.uid.format}), where {@code <id>} comes from a counter
 * that is static in the planner and grows with every query the JVM has compiled. A job's {@code
 * main()} runs in a fresh JVM under {@code flink run} or in application mode, but a session
 * cluster's JobManager runs it for every REST submission ({@code POST /jars/{id}/run}, the web UI):
 * there the same jar compiled a second time gets new uids, and its own savepoint no longer maps
 * onto it. This renames {@code <id>_<transformation>} to {@code <prefix>-<n>-<transformation>},
 * {@code n} = 1, 2, ... numbering the stage's execution nodes in the planner's creation order, so
 * the uids depend only on the SQL and the planner version.
 */
final class PlannerUids {

    private static final Pattern PLANNER_UID = Pattern.compile("(\\d+)_(.+)");

    private PlannerUids() {}

    /**
     * Renames the planner-generated uids of every operator between {@code inputs} (exclusive: the
     * DataStreams the stage reads) and {@code outputs} (inclusive: what {@code toDataStream}
     * returned).
     */
    static void stabilize(String prefix, List<DataStream<?>> inputs, List<DataStream<?>> outputs) {
        Set<Transformation<?>> stop = Collections.newSetFromMap(new IdentityHashMap<>());
        inputs.forEach(s -> stop.add(s.getTransformation()));
        Map<Transformation<?>, Integer> plannerIds = new IdentityHashMap<>();
        Set<Transformation<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Transformation<?>> todo = new ArrayDeque<>();
        outputs.forEach(s -> todo.push(s.getTransformation()));
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.pop();
            if (stop.contains(t) || !seen.add(t)) {
                continue;
            }
            Matcher m = t.getUid() == null ? null : PLANNER_UID.matcher(t.getUid());
            if (m != null && m.matches()) {
                plannerIds.put(t, Integer.parseInt(m.group(1)));
            }
            t.getInputs().forEach(todo::push);
        }
        // one execution node may yield several transformations (a sink: constraint-validator and
        // external-datastream); they share its number, as in the planner's own scheme
        List<Integer> ids = new ArrayList<>(new TreeSet<>(plannerIds.values()));
        plannerIds.forEach(
                (t, id) -> {
                    Matcher m = PLANNER_UID.matcher(t.getUid());
                    if (!m.matches()) {
                        throw new IllegalStateException("not a planner uid: " + t.getUid());
                    }
                    t.setUid(prefix + "-" + (ids.indexOf(id) + 1) + "-" + m.group(2));
                });
    }
}
