package io.depthflow.job.bench;

import io.depthflow.job.book.L2Book;
import org.knowm.xchange.dto.marketdata.OrderBook;

/** The three benchmarked books, each after a whole {@link UpdateStream} (snapshot then changes). */
final class BookImplementations {

    private BookImplementations() {}

    static L2Book l2Book(UpdateStream stream) {
        L2Book book = new L2Book();
        apply(book, stream.snapshot);
        apply(book, stream.changes);
        return book;
    }

    private static void apply(L2Book book, UpdateStream.Levels l) {
        for (int i = 0; i < l.count; i++) {
            book.set(l.bid[i], l.price[i], l.priceScale[i], l.size[i], l.sizeScale[i]);
        }
    }

    static OrderBook xchange(UpdateStream stream) {
        OrderBook book = ReferenceBooks.xchange(stream.snapshot);
        UpdateStream.Levels c = stream.changes;
        for (int i = 0; i < c.count; i++) {
            book.update(ReferenceBooks.limitOrder(c.bid[i], c.priceDecimal[i], c.sizeDecimal[i]));
        }
        return book;
    }

    static ReferenceBooks.TreeMapBook treeMap(UpdateStream stream) {
        ReferenceBooks.TreeMapBook book = new ReferenceBooks.TreeMapBook();
        for (UpdateStream.Levels l : new UpdateStream.Levels[] {stream.snapshot, stream.changes}) {
            for (int i = 0; i < l.count; i++) {
                book.set(l.bid[i], l.priceDecimal[i], l.sizeDecimal[i]);
            }
        }
        return book;
    }
}
