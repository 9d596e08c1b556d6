package io.depthflow.job.cross;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A stream-mode book's top as of {@code time}: best bid and ask while the book is usable, nothing
 * ({@code usable} false) otherwise. Emitted by the book builder whenever that changes; {@link
 * DislocationSeconds} integrates from these how long each venue pair was dislocated.
 *
 * <p>Flink POJO; class name, package and field types are part of the savepoint format: evolve by
 * adding or removing fields only.
 */
public class TopOfBook {

    public String exchange;

    public String market;

    /** Event time of the change, UTC epoch ms. */
    public long time;

    public boolean usable;

    /** Best bid while usable, else null. */
    public BigDecimal bid;

    /** Best ask while usable, else null. */
    public BigDecimal ask;

    public TopOfBook() {}

    public TopOfBook(
            String exchange,
            String market,
            long time,
            boolean usable,
            BigDecimal bid,
            BigDecimal ask) {
        this.exchange = exchange;
        this.market = market;
        this.time = time;
        this.usable = usable;
        this.bid = bid;
        this.ask = ask;
    }

    /** Same top (usability and prices), whatever the time. */
    public boolean sameTop(TopOfBook o) {
        return o != null
                && usable == o.usable
                && Objects.equals(bid, o.bid)
                && Objects.equals(ask, o.ask);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TopOfBook)) {
            return false;
        }
        TopOfBook t = (TopOfBook) o;
        return time == t.time
                && Objects.equals(exchange, t.exchange)
                && Objects.equals(market, t.market)
                && sameTop(t);
    }

    @Override
    public int hashCode() {
        return Objects.hash(exchange, market, time, usable, bid, ask);
    }

    @Override
    public String toString() {
        return "TopOfBook{"
                + exchange
                + " "
                + market
                + " @"
                + time
                + (usable ? " " + bid + "/" + ask : " unusable")
                + '}';
    }
}
