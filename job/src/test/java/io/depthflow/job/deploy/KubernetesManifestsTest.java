package io.depthflow.job.deploy;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;

import io.depthflow.job.DepthflowJob;
import io.depthflow.job.JobEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.depthflow.job.deploy.RepoFiles.at;
import static io.depthflow.job.deploy.RepoFiles.file;
import static io.depthflow.job.deploy.RepoFiles.list;
import static io.depthflow.job.deploy.RepoFiles.map;
import static io.depthflow.job.deploy.RepoFiles.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static checks of {@code deploy/k8s/} (no Kubernetes here): every manifest (multi-document YAML)
 * has a known kind and API version; the FlinkDeployment runs the Flink version of the build in
 * application mode from the image the Dockerfile builds, upgrades from savepoints, keeps
 * checkpoints, savepoints and HA metadata in S3 with the S3 plugin, and uses Kubernetes HA; images
 * are pinned; every Secret and key referenced is defined in the directory; credentials travel only
 * through Secrets (environment or mounted files), never as arguments.
 */
class KubernetesManifestsTest {

    private static final Map<String, String> API_VERSIONS =
            Map.of(
                    "FlinkDeployment",
                    "flink.apache.org/v1beta1",
                    "Secret",
                    "v1",
                    "Job",
                    "batch/v1");

    private static final Path DIR = file("deploy/k8s");
    private static final String USRLIB_JAR = "/opt/flink/usrlib/depthflow-job.jar";

    private static List<Map<String, Object>> docs;
    private static Map<String, Object> flink;
    private static String dockerfile;

    @BeforeAll
    static void load() throws Exception {
        docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                docs.addAll(RepoFiles.yamlDocuments(f));
            }
        }
        flink = ofKind("FlinkDeployment").get(0);
        dockerfile = RepoFiles.text(DIR.resolve("Dockerfile"));
    }

    @Test
    void shouldDeclareOnlyKnownKindsWithTheirApiVersions() {
        assertThat(docs)
                .hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(
                        d -> {
                            String kind = str(d, "kind");
                            assertThat(API_VERSIONS).as("kind %s", kind).containsKey(kind);
                            assertThat(str(d, "apiVersion"))
                                    .as("apiVersion of %s", kind)
                                    .isEqualTo(API_VERSIONS.get(kind));
                            assertThat(str(d, "metadata", "name"))
                                    .as("name of a %s", kind)
                                    .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
                        });
        assertThat(ofKind("FlinkDeployment")).hasSize(1);
        assertThat(ofKind("Job")).hasSize(1);
    }

    @Test
    void shouldRunTheFlinkVersionOfTheBuildFromAnImageBuiltOnTheSameFlink() {
        String flinkVersion = RepoFiles.pomProperty("flink.version");
        String[] v = flinkVersion.split("\\.");

        assertThat(str(flink, "spec", "flinkVersion")).isEqualTo("v" + v[0] + "_" + v[1]);
        assertThat(dockerfile)
                .contains(
                        "FROM flink:"
                                + flinkVersion
                                + "-scala_2.12-java"
                                + RepoFiles.pomProperty("maven.compiler.release")
                                + "\n");
        // the same base image as docker-compose.yml
        assertThat(RepoFiles.text(file("docker-compose.yml")))
                .contains(
                        "image: flink:"
                                + flinkVersion
                                + "-scala_2.12-java"
                                + RepoFiles.pomProperty("maven.compiler.release"));
    }

    @Test
    void shouldPinEveryImage() {
        List<String> images = new ArrayList<>();
        images.add(str(flink, "spec", "image"));
        walk(
                docs,
                node -> {
                    if (node.get("containers") instanceof List<?> containers) {
                        containers.forEach(
                                c -> {
                                    if (at(c, "image") != null) {
                                        images.add(str(c, "image"));
                                    }
                                });
                    }
                });
        assertThat(images)
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(
                        image -> {
                            int colon = image.indexOf(':', image.lastIndexOf('/') + 1);
                            assertThat(colon).as("%s has a tag", image).isPositive();
                            assertThat(image.substring(colon + 1))
                                    .as(image)
                                    .isNotEqualTo("latest")
                                    .matches("\\d+\\.\\d+\\.\\d+.*");
                        });
        assertThat(str(ofKind("Job").get(0), "spec", "template", "spec", "containers"))
                .contains(str(flink, "spec", "image"));
    }

    @Test
    void shouldRunTheJobJarInApplicationModeAndUpgradeFromSavepoints() {
        Map<String, Object> job = map(flink, "spec", "job");

        assertThat(str(job, "upgradeMode")).isEqualTo("savepoint");
        assertThat(str(job, "state")).isEqualTo("running");
        assertThat(str(job, "jarURI")).isEqualTo("local://" + USRLIB_JAR);
        assertThat(dockerfile)
                .contains("COPY --chown=flink:flink job/target/depthflow-job.jar " + USRLIB_JAR);
        assertThat(str(job, "entryClass")).isEqualTo(DepthflowJob.class.getName());
        assertThat(list(job, "args"))
                .containsSequence("--clickhouse-url")
                .anySatisfy(a -> assertThat(a.toString()).startsWith("jdbc:clickhouse://"))
                .contains("--kafka-bootstrap");
        assertThat(str(flink, "spec", "serviceAccount")).isNotBlank();
    }

    @Test
    void shouldKeepCheckpointsSavepointsAndHaMetadataInS3WithKubernetesHa() {
        Map<String, Object> conf = map(flink, "spec", "flinkConfiguration");
        String flinkVersion = RepoFiles.pomProperty("flink.version");

        assertThat(str(conf, "execution.checkpointing.dir")).startsWith("s3://");
        assertThat(str(conf, "execution.checkpointing.savepoint-dir")).startsWith("s3://");
        assertThat(str(conf, "high-availability.storageDir")).startsWith("s3://");
        assertThat(str(conf, "high-availability.type")).isEqualTo("kubernetes");
        assertThat(str(conf, "execution.checkpointing.externalized-checkpoint-retention"))
                .isEqualTo("RETAIN_ON_CANCELLATION");
        assertThat(Integer.parseInt(str(conf, "pipeline.max-parallelism")))
                .isEqualTo(JobEnvironment.MAX_PARALLELISM);
        assertThat((Integer) at(flink, "spec", "job", "parallelism"))
                .isLessThanOrEqualTo(JobEnvironment.MAX_PARALLELISM);
        // s3:// needs a file system plugin of the same Flink version in plugins/
        Matcher plugin =
                Pattern.compile(
                                "/opt/flink/opt/flink-s3-fs-(presto|hadoop)-([\\d.]+)\\.jar /opt/flink/plugins/")
                        .matcher(dockerfile);
        assertThat(plugin.find()).as("the Dockerfile enables an S3 plugin").isTrue();
        assertThat(plugin.group(2)).isEqualTo(flinkVersion);
    }

    @Test
    void shouldRestartTheJobWithTheJobsOwnRestartStrategy() {
        Configuration deployed = new Configuration();
        map(flink, "spec", "flinkConfiguration")
                .forEach((k, v) -> deployed.setString(k, String.valueOf(v)));
        Configuration job = JobEnvironment.restartStrategy(new Configuration());

        assertThat(deployed.get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(deployed.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(Integer.MAX_VALUE);
        for (String key : job.keySet()) {
            assertThat(deployed.containsKey(key)).as("%s in flinkConfiguration", key).isTrue();
        }
        assertThat(
                        deployed.get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(
                        job.get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF));
        assertThat(
                        deployed.get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF))
                .isEqualTo(
                        job.get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF));
    }

    @Test
    void shouldReferenceOnlySecretsAndKeysDefinedInTheDirectory() {
        Map<String, Set<String>> secrets = new java.util.TreeMap<>();
        for (Map<String, Object> s : ofKind("Secret")) {
            Set<String> keys = new java.util.TreeSet<>(map(s, "stringData").keySet());
            keys.addAll(map(s, "data").keySet());
            secrets.put(str(s, "metadata", "name"), keys);
        }
        List<String> references = new ArrayList<>();
        walk(
                docs,
                node -> {
                    if (node.get("secretKeyRef") instanceof Map<?, ?> ref) {
                        references.add(ref.get("name") + "/" + ref.get("key"));
                    }
                    if (node.get("secretName") != null) {
                        for (Object item : list(node, "items")) {
                            references.add(node.get("secretName") + "/" + at(item, "key"));
                        }
                    }
                    assertThat(node)
                            .as("no ConfigMap references (none is defined)")
                            .doesNotContainKeys("configMapKeyRef", "configMap");
                });

        assertThat(references)
                .hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy(
                        ref -> {
                            String[] nameKey = ref.split("/");
                            assertThat(secrets).as("Secret %s", nameKey[0]).containsKey(nameKey[0]);
                            assertThat(secrets.get(nameKey[0]))
                                    .as("key of %s", ref)
                                    .contains(nameKey[1]);
                        });
    }

    @Test
    void shouldPassCredentialsThroughSecretsOnlyAsEnvironmentOrMountedFiles() {
        walk(
                docs,
                node -> {
                    if (node.get("env") instanceof List<?> env) {
                        List<String> mountPaths = new ArrayList<>();
                        for (Object m : list(node, "volumeMounts")) {
                            mountPaths.add(str(m, "mountPath"));
                        }
                        for (Object e : env) {
                            String name = str(e, "name");
                            if (name.contains("PASSWORD")
                                    || name.contains("SECRET")
                                    || name.equals("CLICKHOUSE_USER")) {
                                if (name.endsWith("_FILE")) {
                                    assertThat(mountPaths)
                                            .as("%s points into a mounted Secret", name)
                                            .anySatisfy(
                                                    p ->
                                                            assertThat(str(e, "value"))
                                                                    .startsWith(p + "/"));
                                } else {
                                    assertThat((Object) at(e, "valueFrom", "secretKeyRef"))
                                            .as("%s comes from a Secret", name)
                                            .isNotNull();
                                }
                            }
                        }
                        assertThat(env)
                                .as("the ClickHouse password is a mounted file, not a variable")
                                .noneSatisfy(
                                        e ->
                                                assertThat(str(e, "name"))
                                                        .isEqualTo("CLICKHOUSE_PASSWORD"));
                    }
                    for (String key : List.of("args", "command")) {
                        for (Object arg : list(node, key)) {
                            assertThat(arg.toString().toLowerCase())
                                    .as("%s holds no credential", key)
                                    .doesNotContain("password");
                        }
                    }
                });
        walk(
                docs,
                node -> {
                    if (node.get("securityContext") instanceof Map<?, ?> sc
                            && sc.containsKey("runAsUser")) {
                        assertThat(sc.get("runAsNonRoot")).isEqualTo(true);
                    }
                });
    }

    @Test
    void shouldMigrateWithTheMigratorUserAndTheJobsOwnCommand() {
        Map<String, Object> container =
                RepoFiles.<List<Map<String, Object>>>at(
                                ofKind("Job").get(0), "spec", "template", "spec", "containers")
                        .get(0);
        List<Object> command = list(container, "command");

        assertThat(command)
                // the job jar's own migration entry: the command line tool is not in the job jar
                .containsSequence("io.depthflow.job.DepthflowMigrate", "--clickhouse-url");
        assertThat(command).noneMatch(c -> c.toString().contains("io.depthflow.job.cli"));
        assertThat(command.get(2).toString()).startsWith(USRLIB_JAR + ":");
        assertThat(str(container, "env")).contains("depthflow-clickhouse-migrator");
        assertThat(str(map(flink, "spec", "podTemplate"), "spec"))
                .contains("depthflow-clickhouse")
                .doesNotContain("migrator");
    }

    // ---------------------------------------------------------------------------------------------

    private static List<Map<String, Object>> ofKind(String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    /** Calls {@code visitor} on every map in {@code node}, depth first. */
    @SuppressWarnings("unchecked")
    private static void walk(Object node, Consumer<Map<String, Object>> visitor) {
        if (node instanceof Map<?, ?> m) {
            visitor.accept((Map<String, Object>) m);
            m.values().forEach(v -> walk(v, visitor));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> walk(v, visitor));
        }
    }
}
