package io.depthflow.job;

/**
 * Operator uids. They identify state in savepoints and are never renamed: a new uid deliberately
 * drops that operator's state and must be recorded in DECISIONS.md.
 */
public final class OperatorIds {

    public static final String SOURCE_REST_BOOKS = "src-rest-books";
    public static final String SOURCE_REPLAY = "src-replay";
    public static final String SOURCE_KAFKA_RAW = "src-kafka-raw";

    /** Stateless: splits the raw log's records into usable messages and ingest_errors rows. */
    public static final String SPLIT_RAW_LOG = "split-raw-log";

    public static final String DECODE_CAPTURE = "decode-capture";
    public static final String REPLAY_WATERMARKS = "replay-watermarks";
    public static final String RAW_RESPONSES = "raw-responses";
    public static final String PARSE_BOOKS = "parse-books";
    public static final String SLICE_BOOKS = "slice-books";
    public static final String MINUTE_AGGREGATOR = "minute-aggregator";

    /**
     * Prefix of the cross-exchange SQL operators' uids, {@code cross-sql-<n>-<transformation>}: the
     * planner's uids renumbered per stage (see {@code PlannerUids}).
     */
    public static final String CROSS_EXCHANGE_SQL_PREFIX = "cross-sql";

    public static final String ALL_EXCHANGE_SPREAD = "all-exchange-spread";

    /**
     * The exchanges behind each {@code all} mid (new in 0.2: restores empty from older savepoints).
     */
    public static final String ALL_MID_EXCHANGES = "all-mid-exchanges";

    /** The exchanges behind each best-execution row (new in 0.2: restores empty). */
    public static final String BEST_EXECUTION_EXCHANGES = "best-execution-exchanges";

    /** The cross-venue liquidity stage (new in 0.3: restores empty from older savepoints). */
    public static final String LIQUIDITY_STAGE = "liquidity-stage";

    /** Stream mode: the seconds each dislocation existed (new in 0.3: restores empty). */
    public static final String DISLOCATION_SECONDS = "dislocation-seconds";

    public static final String SINK_ROUTES = "sink-jdbc-routed-execution";
    public static final String SINK_BANDS = "sink-jdbc-liquidity-bands";
    public static final String SINK_ARBITRAGE = "sink-jdbc-arbitrage";
    public static final String SINK_RAW = "sink-jdbc-raw-order-books";
    public static final String SINK_ERRORS = "sink-jdbc-ingest-errors";
    public static final String SINK_SLICES = "sink-jdbc-order-book-slices";
    public static final String SINK_MIDS = "sink-jdbc-mid-price-exchange";
    public static final String SINK_MIDS_ALL = "sink-jdbc-mid-price-all";
    public static final String SINK_QUOTES = "sink-jdbc-execution-quotes";
    public static final String SINK_BEST = "sink-jdbc-best-execution";
    public static final String SINK_KAFKA_RAW = "sink-kafka-raw";

    // Stream mode (WebSocket books).
    public static final String SOURCE_WS_BOOKS = "src-ws-books";
    public static final String TRACK_CONNECTIONS = "track-connections";
    public static final String BOOK_BUILDER = "book-builder";
    public static final String STREAM_MIDS_WITH_VALUE = "stream-mids-with-value";

    private OperatorIds() {}
}
