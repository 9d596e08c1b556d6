package io.depthflow.sources.parse;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The levels of one book side as the exchange sent them: syntactically valid decimal strings, in
 * wire order, not yet scaled, sorted or checked for duplicates. Filled by {@link
 * StrictJson#readLevels} and consumed by {@link BookNormalizer}.
 */
@Internal
public final class RawLevels {

    private final List<String> prices = new ArrayList<>();
    private final List<String> sizes = new ArrayList<>();
    private boolean present;

    public void add(String price, String size) {
        prices.add(price);
        sizes.add(size);
    }

    /** Marks that the side appeared in the payload (an empty array counts). */
    public void markPresent() {
        present = true;
    }

    public boolean isPresent() {
        return present;
    }

    public int size() {
        return prices.size();
    }

    public String price(int i) {
        return prices.get(i);
    }

    public String size(int i) {
        return sizes.get(i);
    }
}
