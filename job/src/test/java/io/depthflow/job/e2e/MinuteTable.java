package io.depthflow.job.e2e;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads back the minute table {@code run} and {@code demo} print on standard output. */
final class MinuteTable {

    private static final Pattern ROW = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2})\\s+(\\S+)\\s+(.*)$");

    private MinuteTable() {}

    /**
     * {@code minute|market|venue -> mid} of every row marked {@code complete}; the venues are the
     * header's {@code <venue> mid} columns.
     */
    static Map<String, BigDecimal> completeMids(String table) {
        List<String> venues = new ArrayList<>();
        Map<String, BigDecimal> mids = new LinkedHashMap<>();
        for (String line : table.split("\n")) {
            if (line.startsWith("window (UTC)")) {
                venues.clear();
                Matcher m = Pattern.compile("(\\S+) mid").matcher(line);
                while (m.find()) {
                    venues.add(m.group(1));
                }
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (!row.matches() || !line.endsWith("  complete")) {
                continue;
            }
            String[] cells = row.group(3).trim().split("\\s+");
            for (int i = 0; i < venues.size(); i++) {
                if (!cells[i].equals("-")) {
                    mids.put(row.group(1) + "|" + row.group(2) + "|" + venues.get(i), new BigDecimal(cells[i]));
                }
            }
        }
        return mids;
    }
}
