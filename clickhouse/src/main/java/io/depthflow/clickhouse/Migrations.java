package io.depthflow.clickhouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a ClickHouse database to the schema this build expects, over a plain JDBC {@link
 * Connection} (the embedded server or a real ClickHouse).
 *
 * <p>The migrations are the classpath resources {@code db/migrations/V<NNN>__<name>.sql}, listed in
 * {@code db/migrations/index.txt} (a directory cannot be listed inside a jar). {@link #apply()}
 * runs the ones not yet recorded in {@value #HISTORY_TABLE}, in version order, statement by
 * statement, and records each. Contract:
 *
 * <ul>
 *   <li>Running it again is a no-op, and it then only reads ({@code EXISTS TABLE}, {@code SELECT}
 *       on {@value #HISTORY_TABLE}): a user without DDL rights can start the job once an
 *       administrator has applied the migrations ({@code bin/depthflow migrate}).
 *   <li>An applied migration must never change: a different checksum is an {@link
 *       IllegalStateException} naming the file. Add {@code V<NNN+1>__...sql} instead.
 *   <li>ClickHouse DDL is not transactional, so a migration that fails half-way is run again from
 *       its first statement next time: write every statement idempotently ({@code IF NOT EXISTS},
 *       {@code OR REPLACE}).
 *   <li>A script is split into statements at lines that end with {@code ;}; lines starting with
 *       {@code --} are dropped. Do not put a {@code ;} at the end of a line inside a string.
 * </ul>
 *
 * <pre>{@code
 * try (Connection c = DriverManager.getConnection(url, user, password)) {
 *     Migrations migrations = new Migrations(c);
 *     migrations.apply();
 *     migrations.applyRawTtlDays(30);
 * }
 * }</pre>
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /** Where each applied migration is recorded. */
    public static final String HISTORY_TABLE = "depthflow_schema_migrations";

    static final String RESOURCE_DIR = "db/migrations/";

    /** ClickHouse's ACCESS_DENIED error code. */
    static final int ACCESS_DENIED = 497;

    static final String INDEX = RESOURCE_DIR + "index.txt";

    private static final Pattern FILE_NAME = Pattern.compile("V(\\d{3,})__([A-Za-z0-9_]+)\\.sql");
    private static final Pattern RAW_TTL_DAYS =
            Pattern.compile("TTL toDateTime\\(received_at\\) \\+ toIntervalDay\\((\\d+)\\)");

    private final Connection connection;

    /** Migrations over {@code connection}, which stays owned by the caller. */
    public Migrations(Connection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    /**
     * Applies the migrations that are not recorded yet.
     *
     * @return the migrations applied by this call, in order (empty when up to date)
     * @throws IllegalStateException if an applied migration has changed since
     * @throws SQLException if a statement fails; the message names the migration and statement
     */
    public List<Migration> apply() throws SQLException {
        // Up to date means reads only: a least-privilege writer (SELECT on the history, INSERT on
        // the tables; deploy/clickhouse/users.sql) starts the job without any DDL right.
        if (!historyExists()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(
                        "CREATE TABLE IF NOT EXISTS "
                                + HISTORY_TABLE
                                + " (version UInt32, name String, checksum String, applied_at"
                                + " DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY version");
            } catch (SQLException e) {
                throw withHint(e, "Cannot create " + HISTORY_TABLE);
            }
        }
        Map<Integer, Migration> known = new HashMap<>();
        List<Migration> available = available();
        available.forEach(m -> known.put(m.version(), m));
        Map<Integer, String> applied = appliedChecksums();
        for (Map.Entry<Integer, String> entry : applied.entrySet()) {
            Migration migration = known.get(entry.getKey());
            if (migration == null) {
                LOG.warn(
                        "The database has migration version {}, which this build does not know:"
                                + " it was migrated by a newer release",
                        entry.getKey());
            } else if (!migration.checksum().equals(entry.getValue())) {
                throw new IllegalStateException(
                        "Migration "
                                + migration.name()
                                + " was changed after it had been applied (recorded checksum "
                                + entry.getValue()
                                + ", now "
                                + migration.checksum()
                                + "). Never edit an applied migration; add a new"
                                + " V<NNN>__<name>.sql.");
            }
        }
        List<Migration> done = new ArrayList<>();
        for (Migration migration : available) {
            if (applied.containsKey(migration.version())) {
                continue;
            }
            run(migration);
            done.add(migration);
        }
        if (done.isEmpty()) {
            LOG.info("ClickHouse schema is up to date ({} migrations)", available.size());
        } else {
            LOG.info(
                    "Applied ClickHouse migrations {}",
                    done.stream().map(Migration::name).toList());
        }
        return done;
    }

    /**
     * Sets how long {@code raw_order_books} keeps rows: {@code ALTER TABLE raw_order_books MODIFY
     * TTL toDateTime(received_at) + INTERVAL <days> DAY}, skipped when that is already the TTL (the
     * ALTER rewrites the table's parts). Run {@link #apply()} first.
     *
     * @return whether the TTL was changed
     * @throws IllegalArgumentException if {@code days} is not positive
     */
    public boolean applyRawTtlDays(int days) throws SQLException {
        if (days <= 0) {
            throw new IllegalArgumentException(
                    "raw TTL must be a positive number of days, not " + days);
        }
        Integer current = currentRawTtlDays();
        if (current != null && current == days) {
            return false;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(
                    "ALTER TABLE raw_order_books MODIFY TTL toDateTime(received_at) + INTERVAL "
                            + days
                            + " DAY");
        }
        LOG.info("raw_order_books TTL changed from {} to {} days", current, days);
        return true;
    }

    /** The TTL of {@code raw_order_books} in days, or null when it has none of our shape. */
    private Integer currentRawTtlDays() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs =
                        statement.executeQuery(
                                "SELECT engine_full FROM system.tables WHERE database ="
                                        + " currentDatabase() AND name = 'raw_order_books'")) {
            if (!rs.next()) {
                throw new IllegalStateException(
                        "Table raw_order_books does not exist: apply the migrations first");
            }
            Matcher m = RAW_TTL_DAYS.matcher(rs.getString(1));
            return m.find() ? Integer.valueOf(m.group(1)) : null;
        }
    }

    private boolean historyExists() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("EXISTS TABLE " + HISTORY_TABLE)) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    /**
     * {@code context: <ClickHouse message>}, keeping the SQL state and ClickHouse error code; an
     * access denial (code {@value #ACCESS_DENIED}) says how to apply migrations instead.
     */
    private static SQLException withHint(SQLException e, String context) {
        String hint =
                e.getErrorCode() == ACCESS_DENIED
                        ? " (this user may not change the schema: apply the migrations with"
                                + " 'bin/depthflow migrate' as a user holding the depthflow_migrator"
                                + " role, then start the job as the writer; see README, Security)"
                        : "";
        return new SQLException(
                context + ": " + e.getMessage() + hint, e.getSQLState(), e.getErrorCode(), e);
    }

    private Map<Integer, String> appliedChecksums() throws SQLException {
        Map<Integer, String> applied = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs =
                        statement.executeQuery("SELECT version, checksum FROM " + HISTORY_TABLE)) {
            while (rs.next()) {
                applied.put(rs.getInt(1), rs.getString(2));
            }
        }
        return applied;
    }

    private void run(Migration migration) throws SQLException {
        List<String> statements = migration.statements();
        for (int i = 0; i < statements.size(); i++) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(statements.get(i));
            } catch (SQLException e) {
                throw withHint(
                        e,
                        "Migration "
                                + migration.name()
                                + " failed at statement "
                                + (i + 1)
                                + " of "
                                + statements.size());
            }
        }
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO "
                                + HISTORY_TABLE
                                + " (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
            insert.setInt(1, migration.version());
            insert.setString(2, migration.name());
            insert.setString(3, migration.checksum());
            insert.setObject(4, Instant.now());
            insert.executeUpdate();
        }
    }

    /** The migrations of this build, in version order, read from the classpath index. */
    public static List<Migration> available() {
        String index = readResource(INDEX);
        List<Migration> migrations = new ArrayList<>();
        for (String line : index.split("\n")) {
            String fileName = line.strip();
            if (fileName.isEmpty() || fileName.startsWith("#")) {
                continue;
            }
            Matcher m = FILE_NAME.matcher(fileName);
            if (!m.matches()) {
                throw new IllegalStateException(
                        INDEX + " lists '" + fileName + "', which is not named V<NNN>__<name>.sql");
            }
            int version = Integer.parseInt(m.group(1));
            if (!migrations.isEmpty()
                    && migrations.get(migrations.size() - 1).version() >= version) {
                throw new IllegalStateException(
                        INDEX
                                + " must list versions in increasing order; "
                                + fileName
                                + " is out of order");
            }
            String sql = readResource(RESOURCE_DIR + fileName).replace("\r\n", "\n");
            migrations.add(new Migration(version, fileName, sql, sha256(sql)));
        }
        return List.copyOf(migrations);
    }

    private static String readResource(String name) {
        ClassLoader loader = Migrations.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Classpath resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read classpath resource " + name, e);
        }
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * One migration script.
     *
     * @param version the {@code NNN} of its file name
     * @param name its file name, {@code V001__poll_pipeline.sql}
     * @param sql its text, line endings normalized to {@code \n}
     * @param checksum SHA-256 of {@code sql}, hex
     */
    public record Migration(int version, String name, String sql, String checksum) {

        /** The statements of the script, without their {@code ;} and comment lines. */
        public List<String> statements() {
            List<String> statements = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : sql.split("\n")) {
                if (line.strip().startsWith("--")) {
                    continue;
                }
                String trimmed = line.stripTrailing();
                if (trimmed.endsWith(";")) {
                    current.append(trimmed, 0, trimmed.length() - 1);
                    addIfNotBlank(statements, current);
                } else {
                    current.append(line).append('\n');
                }
            }
            addIfNotBlank(statements, current);
            return statements;
        }

        /** The file name; the SQL text is too long for logs. */
        @Override
        public String toString() {
            return name;
        }

        private static void addIfNotBlank(List<String> statements, StringBuilder current) {
            String statement = current.toString().strip();
            if (!statement.isEmpty()) {
                statements.add(statement);
            }
            current.setLength(0);
        }
    }
}
