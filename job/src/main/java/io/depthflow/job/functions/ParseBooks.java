package io.depthflow.job.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import io.depthflow.job.errors.DeadLetters;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.BookParsers;

import java.util.HashMap;
import java.util.Map;

/**
 * Parses raw exchange messages into validated books. Anything unusable (transport failure, HTTP
 * error, exchange error, malformed payload, empty or crossed book) goes to {@link DeadLetters#TAG}
 * with its reason and raw payload, and is counted in the metric {@code ingestErrors} (per {@code
 * error_type}); the job keeps running and the good books around it are unaffected.
 */
public class ParseBooks extends ProcessFunction<RawMessage, OrderBookSnapshot> {

    private static final long serialVersionUID = 1L;

    private transient MetricGroup errorMetrics;
    private transient Map<String, Counter> errorCounters;
    private transient Counter books;

    @Override
    public void open(OpenContext openContext) {
        errorMetrics = getRuntimeContext().getMetricGroup();
        errorCounters = new HashMap<>();
        books = errorMetrics.counter("booksParsed");
    }

    @Override
    public void processElement(RawMessage raw, Context ctx, Collector<OrderBookSnapshot> out) {
        try {
            out.collect(BookParsers.parse(raw));
            books.inc();
        } catch (BookParseException e) {
            IngestError error = e.toIngestError(raw);
            errorCounters
                    .computeIfAbsent(
                            error.errorType,
                            t -> errorMetrics.addGroup("error_type", t).counter("ingestErrors"))
                    .inc();
            ctx.output(DeadLetters.TAG, error);
        }
    }
}
