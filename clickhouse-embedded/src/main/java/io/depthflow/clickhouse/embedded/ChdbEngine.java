package io.depthflow.clickhouse.embedded;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ClickHouse engine of one process: a JNA binding to {@code libchdb.so} holding one chDB
 * connection on a data directory.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Only in a JVM started with {@code LD_PRELOAD=$JAVA_HOME/lib/server/libjsig.so}: the engine
 *       installs its own signal handlers, and without signal chaining the JVM hangs after some
 *       queries. {@link EmbeddedClickHouse} starts such a JVM; never load this class in the Flink
 *       JVM.
 *   <li>One engine per process and per data directory.
 *   <li>{@link #query} is serialized here (the engine runs one statement at a time anyway), and
 *       returns a {@link Result} that the caller must close; a result stays valid while other
 *       queries run.
 * </ul>
 */
final class ChdbEngine implements AutoCloseable {

    /** ClickHouse's error code for an exception without a code of its own (STD_EXCEPTION). */
    static final int UNKNOWN_ERROR_CODE = 1001;

    private static final Pattern ERROR_CODE = Pattern.compile("^Code: (\\d+)\\.");

    /** The subset of the chDB C API that the server needs ({@code chdb.h}). */
    interface ChdbApi extends Library {
        /** Returns {@code chdb_connection *}, or null on failure. */
        Pointer chdb_connect(int argc, String[] argv);

        void chdb_close_conn(Pointer connectionHandle);

        /** Returns {@code chdb_result *}; never null. */
        Pointer chdb_query_n(
                Pointer connection,
                byte[] query,
                long queryLength,
                byte[] format,
                long formatLength);

        Pointer chdb_result_buffer(Pointer result);

        long chdb_result_length(Pointer result);

        /** Null-terminated UTF-8 message, or null when the query succeeded. */
        Pointer chdb_result_error(Pointer result);

        long chdb_result_rows_read(Pointer result);

        long chdb_result_bytes_read(Pointer result);

        long chdb_result_rows_written(Pointer result);

        long chdb_result_bytes_written(Pointer result);

        void chdb_destroy_query_result(Pointer result);
    }

    /** How long {@link #close()} waits for a running statement before giving up on it. */
    private static final long CLOSE_WAIT_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(ChdbEngine.class);

    private final ChdbApi api;
    private final ReentrantLock lock = new ReentrantLock();
    private Pointer connectionHandle;
    private Pointer connection;

    private ChdbEngine(ChdbApi api, Pointer connectionHandle) {
        this.api = api;
        this.connectionHandle = connectionHandle;
        this.connection = connectionHandle.getPointer(0);
    }

    /** Loads the library and opens a connection on {@code dataDir}. */
    static ChdbEngine open(Path library, Path dataDir) {
        ChdbApi api =
                Native.load(
                        library.toAbsolutePath().toString(),
                        ChdbApi.class,
                        Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
        String[] argv = {"clickhouse", "--path=" + dataDir.toAbsolutePath()};
        Pointer handle = api.chdb_connect(argv.length, argv);
        if (handle == null || handle.getPointer(0) == null) {
            throw new IllegalStateException(
                    "chdb_connect failed for data directory " + dataDir + " (is it in use?)");
        }
        return new ChdbEngine(api, handle);
    }

    /**
     * Runs one statement. Never throws for engine errors: check {@link Result#error()}.
     *
     * @param sql the statement, UTF-8
     * @param format the output format, e.g. {@code RowBinaryWithNamesAndTypes}
     */
    Result query(String sql, String format) {
        byte[] query = sql.getBytes(StandardCharsets.UTF_8);
        byte[] fmt = format.getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (connection == null) {
                throw new IllegalStateException("The chDB connection is closed");
            }
            return new Result(
                    api, api.chdb_query_n(connection, query, query.length, fmt, fmt.length));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the connection once the running statement (if any) is done. A statement still running
     * after {@value #CLOSE_WAIT_SECONDS} s is abandoned and the connection left open, so that a
     * stuck statement cannot keep the process from exiting; completed statements are on disk.
     */
    @Override
    public void close() {
        try {
            if (!lock.tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn(
                        "A statement is still running after {} s; not closing the chDB connection",
                        CLOSE_WAIT_SECONDS);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (connectionHandle != null) {
                api.chdb_close_conn(connectionHandle);
                connectionHandle = null;
                connection = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The outcome of one statement; owns native memory until {@link #close()}. */
    static final class Result implements AutoCloseable {
        private final ChdbApi api;
        private Pointer result;

        private Result(ChdbApi api, Pointer result) {
            this.api = api;
            this.result = result;
        }

        /** The engine's error message, or null when the statement succeeded. */
        String error() {
            Pointer message = api.chdb_result_error(result);
            if (message == null) {
                return null;
            }
            String text = message.getString(0, StandardCharsets.UTF_8.name());
            return text.isEmpty() ? null : text;
        }

        /** The ClickHouse error code parsed from {@link #error()}'s {@code Code: N.} prefix. */
        int errorCode() {
            String error = error();
            if (error == null) {
                return 0;
            }
            Matcher m = ERROR_CODE.matcher(error);
            return m.find() ? Integer.parseInt(m.group(1)) : UNKNOWN_ERROR_CODE;
        }

        /** A read-only view of the output bytes, valid until {@link #close()}. */
        ByteBuffer data() {
            long length = api.chdb_result_length(result);
            Pointer buffer = api.chdb_result_buffer(result);
            if (length == 0 || buffer == null) {
                return ByteBuffer.allocate(0);
            }
            return buffer.getByteBuffer(0, length).asReadOnlyBuffer();
        }

        long rowsRead() {
            return api.chdb_result_rows_read(result);
        }

        long bytesRead() {
            return api.chdb_result_bytes_read(result);
        }

        long rowsWritten() {
            return api.chdb_result_rows_written(result);
        }

        long bytesWritten() {
            return api.chdb_result_bytes_written(result);
        }

        @Override
        public void close() {
            if (result != null) {
                api.chdb_destroy_query_result(result);
                result = null;
            }
        }
    }
}
