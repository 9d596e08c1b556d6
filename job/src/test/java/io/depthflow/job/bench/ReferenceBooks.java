package io.depthflow.job.bench;

import org.knowm.xchange.currency.CurrencyPair;
import org.knowm.xchange.dto.Order;
import org.knowm.xchange.dto.marketdata.OrderBook;
import org.knowm.xchange.dto.trade.LimitOrder;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.TreeMap;

/**
 * The books a Java user would pick instead of depthflow's {@code L2Book}, fed the same level
 * changes the way their users feed them: knowm XChange's {@link OrderBook} ({@code
 * update(LimitOrder)}, one {@link LimitOrder} per change, amount 0 removes), and a plain pair of
 * {@code TreeMap<BigDecimal, BigDecimal>} (size 0 removes, otherwise put).
 */
final class ReferenceBooks {

    private ReferenceBooks() {}

    static final Date TIME = new Date(1_764_000_000_000L);

    /** The {@link LimitOrder} an XChange user builds for one level change. */
    static LimitOrder limitOrder(boolean bid, BigDecimal price, BigDecimal size) {
        return new LimitOrder(
                bid ? Order.OrderType.BID : Order.OrderType.ASK,
                size,
                CurrencyPair.BTC_USD,
                "",
                TIME,
                price);
    }

    /** An XChange book holding {@code snapshot}. */
    static OrderBook xchange(UpdateStream.Levels snapshot) {
        List<LimitOrder> bids = new ArrayList<>();
        List<LimitOrder> asks = new ArrayList<>();
        for (int i = 0; i < snapshot.count; i++) {
            LimitOrder o =
                    limitOrder(snapshot.bid[i], snapshot.priceDecimal[i], snapshot.sizeDecimal[i]);
            (snapshot.bid[i] ? bids : asks).add(o);
        }
        return new OrderBook(TIME, asks, bids, true);
    }

    /** Bids best (highest) first and asks best (lowest) first, as two sorted maps. */
    static final class TreeMapBook {
        final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
        final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();

        void clear() {
            bids.clear();
            asks.clear();
        }

        void set(boolean bid, BigDecimal price, BigDecimal size) {
            TreeMap<BigDecimal, BigDecimal> side = bid ? bids : asks;
            if (size.signum() == 0) {
                side.remove(price);
            } else {
                side.put(price, size);
            }
        }
    }
}
