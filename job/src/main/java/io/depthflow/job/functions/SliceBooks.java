package io.depthflow.job.functions;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

import io.depthflow.job.quote.BookWalker;
import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.OrderBookSnapshot;

import java.math.BigDecimal;

/** Per book, the bid and ask slices that reach {@link BookSlice#TARGET_NOTIONAL} (silver table). */
public class SliceBooks implements FlatMapFunction<OrderBookSnapshot, BookSlice> {

    private static final long serialVersionUID = 1L;

    private static final BigDecimal TARGET = BigDecimal.valueOf(BookSlice.TARGET_NOTIONAL);

    @Override
    public void flatMap(OrderBookSnapshot book, Collector<BookSlice> out) {
        out.collect(BookWalker.slice(book, "bid", TARGET));
        out.collect(BookWalker.slice(book, "ask", TARGET));
    }
}
