package io.depthflow.job.e2e;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads back the minute table {@code run} and {@code demo} print on standard output. */
final class MinuteTable {

    /**
     * minute, market, venue, mid (avg), ..., completeness: one line per minute, market and venue.
     */
    private static final Pattern ROW =
            Pattern.compile(
                    "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2})\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s.*\\s(\\S+)$");

    private MinuteTable() {}

    /**
     * {@code minute|market|venue -> mid} of every line whose completeness reads {@code complete}.
     */
    static Map<String, BigDecimal> completeMids(String table) {
        Map<String, BigDecimal> mids = new LinkedHashMap<>();
        for (String line : table.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.matches() && row.group(5).equals("complete") && !row.group(4).equals("-")) {
                mids.put(
                        row.group(1) + "|" + row.group(2) + "|" + row.group(3),
                        new BigDecimal(row.group(4)));
            }
        }
        return mids;
    }
}
