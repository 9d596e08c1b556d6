package io.depthflow.job.deploy;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;

import io.depthflow.clickhouse.Migrations;
import io.depthflow.job.JobEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.depthflow.job.deploy.RepoFiles.at;
import static io.depthflow.job.deploy.RepoFiles.file;
import static io.depthflow.job.deploy.RepoFiles.list;
import static io.depthflow.job.deploy.RepoFiles.map;
import static io.depthflow.job.deploy.RepoFiles.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static checks of {@code docker-compose.yml} (no Docker engine here): images pinned to the
 * versions the build uses, every mounted file present (or a declared build artifact), the
 * migrations mounted in order (that they run as scripts: {@link ClickHouseDeployScriptsITCase}),
 * the Flink configuration valid for Flink itself, and the services wired to each other by the names
 * and ports they really use.
 */
class DockerComposeTest {

    /** Bind-mounted paths that the build creates rather than git, with why they may be missing. */
    private static final Map<String, String> BUILD_ARTIFACTS =
            Map.of(
                    "job/target/depthflow-job.jar",
                    "the shaded job jar of ./mvnw -DskipTests package (README: docker-compose); submit.sh stops with that hint when it is missing");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::-[^}]*)?}");
    static final String INITDB = "/docker-entrypoint-initdb.d/";

    private static Map<String, Object> compose;
    private static Map<String, Object> services;

    @BeforeAll
    static void load() {
        compose = RepoFiles.yaml("docker-compose.yml");
        services = map(compose, "services");
    }

    @Test
    void shouldRunTheWholeStack() {
        assertThat(services.keySet())
                .contains("kafka", "clickhouse", "jobmanager", "taskmanager", "submit", "grafana");
    }

    @Test
    void shouldPinEveryImageToAnExactVersion() {
        services.forEach(
                (name, service) -> {
                    String image = at(service, "image");
                    assertThat(image)
                            .as("service %s has an image (no local builds)", name)
                            .isNotNull();
                    assertThat((Object) at(service, "build"))
                            .as("service %s builds nothing", name)
                            .isNull();
                    String tag = tag(image);
                    assertThat(tag).as("%s: %s has a tag", name, image).isNotNull();
                    assertThat(tag)
                            .as("%s: %s", name, image)
                            .isNotEqualTo("latest")
                            .matches("\\d+\\.\\d+\\.\\d+[0-9A-Za-z._-]*");
                });
    }

    @Test
    void shouldRunTheFlinkVersionAndJavaReleaseTheBuildUses() {
        String expected =
                "flink:"
                        + RepoFiles.pomProperty("flink.version")
                        + "-scala_2.12-java"
                        + RepoFiles.pomProperty("maven.compiler.release");
        List<String> flinkServices = new ArrayList<>();
        services.forEach(
                (name, service) -> {
                    String image = at(service, "image");
                    if (image.startsWith("flink:")) {
                        assertThat(image).as("service %s", name).isEqualTo(expected);
                        flinkServices.add(name);
                    }
                });
        assertThat(flinkServices).contains("jobmanager", "taskmanager", "submit");
    }

    @Test
    void shouldMountOnlyFilesThatExistReadOnly() {
        Set<String> namedVolumes = map(compose, "volumes").keySet();
        services.forEach(
                (name, service) -> {
                    for (Mount m : mounts(service)) {
                        if (!m.bind()) {
                            assertThat(namedVolumes)
                                    .as("service %s: named volume %s is declared", name, m.source())
                                    .contains(m.source());
                            continue;
                        }
                        String relative = Path.of(m.source()).normalize().toString();
                        assertThat(m.readOnly())
                                .as("service %s: %s is mounted read-only", name, m.source())
                                .isTrue();
                        if (BUILD_ARTIFACTS.containsKey(relative)) {
                            continue;
                        }
                        assertThat(file(relative))
                                .as("service %s mounts %s", name, m.source())
                                .exists();
                    }
                });
    }

    @Test
    void shouldOnlyAllowBuildArtifactsThatTheBuildProduces() {
        String jobPom = RepoFiles.text(file("job/pom.xml"));
        assertThat(BUILD_ARTIFACTS.keySet()).containsExactly("job/target/depthflow-job.jar");
        assertThat(jobPom)
                .contains("<outputFile>${project.build.directory}/depthflow-job.jar</outputFile>")
                .contains("maven-shade-plugin");
        assertThat(mounts(services.get("submit")))
                .anySatisfy(
                        m -> assertThat(m.source()).isEqualTo("./job/target/depthflow-job.jar"));
    }

    @Test
    void shouldPublishPortsOnLoopbackOnly() {
        services.forEach(
                (name, service) -> {
                    for (Object port : list(service, "ports")) {
                        assertThat(port.toString()).as("service %s", name).startsWith("127.0.0.1:");
                    }
                });
        assertThat(publishedPorts())
                .containsEntry(8081, "jobmanager")
                .containsEntry(3000, "grafana")
                .containsEntry(8123, "clickhouse")
                .containsEntry(9094, "kafka");
    }

    @Test
    void shouldApplyEveryMigrationInVersionOrderAndNothingElse() {
        List<Mount> initdb =
                mounts(services.get("clickhouse")).stream()
                        .filter(m -> m.target().startsWith(INITDB))
                        .toList();
        List<String> sqlSources =
                initdb.stream()
                        .filter(m -> m.target().endsWith(".sql"))
                        .sorted((a, b) -> a.target().compareTo(b.target()))
                        .map(m -> Path.of(m.source()).getFileName().toString())
                        .toList();

        assertThat(sqlSources)
                .containsExactlyElementsOf(
                        Migrations.available().stream().map(Migrations.Migration::name).toList());
        assertThat(initdb).allSatisfy(m -> assertThat(m.source()).doesNotEndWith("index.txt"));
        assertThat(initdb).allSatisfy(m -> assertThat(m.target()).matches(".*\\.(sql|sh)"));
        // the image sources a non-executable .sh into its own shell: ours must run as a program
        initdb.stream()
                .filter(m -> m.target().endsWith(".sh"))
                .forEach(
                        m ->
                                assertThat(Files.isExecutable(file(m.source())))
                                        .as(m.source())
                                        .isTrue());
        String lastMigration =
                initdb.stream()
                        .filter(m -> m.target().endsWith(".sql"))
                        .map(Mount::target)
                        .max(String::compareTo)
                        .orElseThrow();
        initdb.stream()
                .filter(m -> m.target().endsWith(".sh"))
                .forEach(
                        m ->
                                assertThat(m.target())
                                        .as("roles after the tables")
                                        .isGreaterThan(lastMigration));
    }

    @Test
    void shouldGiveFlinkAConfigurationFlinkAccepts() {
        Configuration conf = GlobalConfiguration.loadConfiguration(file("deploy/flink").toString());

        assertThat(conf.get(JobManagerOptions.ADDRESS)).isEqualTo("jobmanager");
        assertThat(conf.get(RestOptions.ADDRESS)).isEqualTo("jobmanager");
        assertThat(conf.get(RestOptions.PORT)).isEqualTo(8081);
        assertThat(conf.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(2);
        assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(2);
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo("file:///flink-state/checkpoints");
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
                .isEqualTo("file:///flink-state/savepoints");
        // the JDK 17 opens the tests run with (the State Processor API and Kryo need them)
        assertThat(List.of(conf.get(CoreOptions.FLINK_JVM_OPTIONS).split("\\s+")))
                .containsAll(List.of(RepoFiles.pomProperty("flink.jvm.opens").split("\\s+")));
        assertThat(file("deploy/flink/log4j-console.properties")).exists();
        assertThat(file("deploy/flink/log4j-cli.properties")).exists();
    }

    @Test
    void shouldRestartTheFlinkProcessesByThemselves() {
        // a TaskManager that dies (OOM kill, crash) comes back without anyone running a command
        for (String name : List.of("jobmanager", "taskmanager")) {
            assertThat(str(services.get(name), "restart"))
                    .as("restart policy of %s", name)
                    .isEqualTo("unless-stopped");
        }
    }

    @Test
    void shouldRestartTheJobWithExponentialDelayAndNeverGiveUp() {
        Configuration conf = GlobalConfiguration.loadConfiguration(file("deploy/flink").toString());
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isEqualTo(Duration.ofMinutes(1));
        // the same settings as the job's own (a local run has no config.yaml)
        Configuration job = JobEnvironment.restartStrategy(new Configuration());
        for (var option :
                List.of(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                        RestartStrategyOptions
                                .RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD)) {
            assertThat(conf.get(option)).as(option.key()).isEqualTo(job.get(option));
        }
        assertThat(
                        conf.get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER))
                .isEqualTo(
                        job.get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER));
        assertThat(
                        conf.get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR))
                .isEqualTo(
                        job.get(
                                RestartStrategyOptions
                                        .RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR));
    }

    @Test
    void shouldKeepCheckpointsAndSavepointsOnTheNamedVolumeOfEveryFlinkProcess() {
        for (String name : List.of("jobmanager", "taskmanager")) {
            Object service = services.get(name);
            assertThat(mounts(service))
                    .as(name)
                    .anySatisfy(
                            m -> {
                                assertThat(m.bind()).isFalse();
                                assertThat(m.source()).isEqualTo("flink-state");
                                assertThat(m.target()).isEqualTo("/flink-state");
                            });
            assertThat(map(service, "environment"))
                    .as(name)
                    .containsEntry("FLINK_CONF_DIR", "/opt/depthflow/flink-conf");
            assertThat(mounts(service))
                    .as(name)
                    .anySatisfy(
                            m -> {
                                assertThat(m.source()).isEqualTo("./deploy/flink");
                                assertThat(m.target()).isEqualTo("/opt/depthflow/flink-conf");
                            });
        }
        assertThat(map(services.get("submit"), "environment"))
                .containsEntry("FLINK_CONF_DIR", "/opt/depthflow/flink-conf");
        assertThat(mounts(services.get("flink-state-init")))
                .anySatisfy(m -> assertThat(m.source()).isEqualTo("flink-state"));
    }

    @Test
    void shouldWireTheJobToKafkaAndClickHouseByServiceNameAndPort() {
        String kafkaInternal = "kafka:9092";
        assertThat(str(services.get("kafka"), "environment", "KAFKA_ADVERTISED_LISTENERS"))
                .contains("INTERNAL://" + kafkaInternal);
        assertThat(list(services.get("submit"), "command"))
                .containsSequence("--kafka-bootstrap", kafkaInternal);
        assertThat(list(services.get("kafka-init"), "command"))
                .containsSequence("--bootstrap-server", kafkaInternal)
                .containsSequence("--topic", "depthflow.raw");
        assertThat(RepoFiles.text(file("deploy/flink/submit.sh")))
                .contains("jdbc:clickhouse://clickhouse:8123/")
                .contains("/opt/depthflow/depthflow-job.jar")
                // the job jar's own migration entry: the command line tool is not in the job jar
                .contains("io.depthflow.job.DepthflowMigrate --clickhouse-url")
                .doesNotContain("io.depthflow.job.cli");
        assertThat(file("job/src/main/java/io/depthflow/job/DepthflowMigrate.java"))
                .isRegularFile();
        assertThat(mounts(services.get("submit")))
                .anySatisfy(
                        m -> assertThat(m.target()).isEqualTo("/opt/depthflow/depthflow-job.jar"))
                .anySatisfy(
                        m ->
                                assertThat(m.target())
                                        .isEqualTo(
                                                list(services.get("submit"), "entrypoint")
                                                        .get(0)
                                                        .toString()));
    }

    @Test
    void shouldProvisionGrafanaWithTheClickHouseServiceAndTheMountedDashboards() {
        Object grafana = services.get("grafana");
        Map<String, Object> datasource =
                RepoFiles.<List<Map<String, Object>>>at(
                                RepoFiles.yaml(
                                        "deploy/grafana/provisioning/datasources/clickhouse.yaml"),
                                "datasources")
                        .get(0);
        String dashboardsPath =
                at(
                        RepoFiles.<List<Object>>at(
                                        RepoFiles.yaml(
                                                "deploy/grafana/provisioning/dashboards/depthflow.yaml"),
                                        "providers")
                                .get(0),
                        "options",
                        "path");

        assertThat(str(grafana, "environment", "GF_PLUGINS_PREINSTALL_SYNC"))
                .matches("grafana-clickhouse-datasource@\\d+\\.\\d+\\.\\d+");
        assertThat(at(datasource, "type").toString()).isEqualTo("grafana-clickhouse-datasource");
        assertThat(at(datasource, "jsonData", "host").toString()).isEqualTo("clickhouse");
        assertThat(at(datasource, "jsonData", "port").toString()).isEqualTo("8123");
        assertThat(at(datasource, "jsonData", "protocol").toString()).isEqualTo("http");
        assertThat(mounts(grafana))
                .anySatisfy(
                        m -> {
                            assertThat(m.source()).isEqualTo("./deploy/grafana/provisioning");
                            assertThat(m.target()).isEqualTo("/etc/grafana/provisioning");
                        })
                .anySatisfy(
                        m -> {
                            assertThat(m.source()).isEqualTo("./deploy/grafana/dashboards");
                            assertThat(m.target()).isEqualTo(dashboardsPath);
                        });
        // the password variable the provisioning file expands is in Grafana's environment
        assertThat(at(datasource, "secureJsonData", "password").toString())
                .isEqualTo("$DEPTHFLOW_GRAFANA_PASSWORD");
        assertThat(map(grafana, "environment")).containsKey("DEPTHFLOW_GRAFANA_PASSWORD");
    }

    @Test
    void shouldGiveEachScriptThePasswordsItReadsAndDocumentEveryVariable() throws Exception {
        Map<String, Object> clickhouse = map(services.get("clickhouse"), "environment");
        for (String password :
                List.of(
                        "DEPTHFLOW_MIGRATOR_PASSWORD",
                        "DEPTHFLOW_JOB_PASSWORD",
                        "DEPTHFLOW_GRAFANA_PASSWORD")) {
            assertThat(RepoFiles.text(file("deploy/clickhouse/initdb/900-depthflow-users.sh")))
                    .contains(password);
            assertThat(clickhouse).containsKey(password);
        }
        for (String password : List.of("DEPTHFLOW_MIGRATOR_PASSWORD", "DEPTHFLOW_JOB_PASSWORD")) {
            assertThat(RepoFiles.text(file("deploy/flink/submit.sh"))).contains(password);
            assertThat(map(services.get("submit"), "environment")).containsKey(password);
        }
        Set<String> used = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(Files.readString(file("docker-compose.yml")));
        while (m.find()) {
            used.add(m.group(1));
        }
        String example = Files.readString(file(".env.example"));
        assertThat(used).isNotEmpty().allSatisfy(v -> assertThat(example).contains("\n" + v + "="));
        assertThat(RepoFiles.text(file(".gitignore"))).contains(".env");
    }

    @Test
    void shouldStartServicesOnlyAfterWhatTheyNeedIsReady() {
        services.forEach(
                (name, service) ->
                        map(service, "depends_on")
                                .forEach(
                                        (dependency, spec) -> {
                                            assertThat(services)
                                                    .as("%s depends on %s", name, dependency)
                                                    .containsKey(dependency);
                                            String condition = at(spec, "condition");
                                            if ("service_healthy".equals(condition)) {
                                                assertThat(
                                                                map(
                                                                        services.get(dependency),
                                                                        "healthcheck"))
                                                        .as("%s has a healthcheck", dependency)
                                                        .isNotEmpty();
                                            } else if ("service_completed_successfully"
                                                    .equals(condition)) {
                                                assertThat(str(services.get(dependency), "restart"))
                                                        .as("%s is a one-shot", dependency)
                                                        .isEqualTo("no");
                                            }
                                        }));
        assertThat(map(services.get("submit"), "depends_on"))
                .containsKeys("jobmanager", "taskmanager", "clickhouse", "kafka-init");
    }

    // ---------------------------------------------------------------------------------------------

    record Mount(String source, String target, boolean bind, boolean readOnly) {}

    /** The service's volumes in compose's short syntax {@code source:target[:mode]}. */
    static List<Mount> mounts(Object service) {
        List<Mount> mounts = new ArrayList<>();
        for (Object v : list(service, "volumes")) {
            String[] parts = v.toString().split(":");
            String source = parts[0];
            boolean bind = source.startsWith(".") || source.startsWith("/");
            mounts.add(
                    new Mount(source, parts[1], bind, parts.length > 2 && parts[2].contains("ro")));
        }
        return mounts;
    }

    /** Host port to service, from {@code 127.0.0.1:host:container}. */
    private static Map<Integer, String> publishedPorts() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        services.forEach(
                (name, service) -> {
                    for (Object p : list(service, "ports")) {
                        String[] parts = p.toString().split(":");
                        ports.put(Integer.parseInt(parts[1]), name);
                    }
                });
        return ports;
    }

    /** The tag of {@code repository[:port]/name:tag}, or null. */
    private static String tag(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.indexOf(':', slash + 1);
        return colon < 0 ? null : image.substring(colon + 1);
    }
}
