package io.depthflow.job.cli;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One terminal line per failure and recovery of a running local job: what failed (the root cause's
 * one-line message, from the mini cluster's REST API), since when, and what happens next. The stack
 * traces stay in the log file. Called from {@code run}'s print loop, so lines never interleave with
 * the minute table.
 */
final class JobEvents {

    private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\"\\s*:\\s*(\\d+)");

    private final JobClient job;
    private final String exceptionsUrl;
    private final PrintStream err;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private long lastFailureSeen;
    private long downSince;
    private int failures;

    JobEvents(JobClient job, int webPort, PrintStream err) {
        this.job = job;
        this.exceptionsUrl =
                webPort > 0
                        ? "http://127.0.0.1:"
                                + webPort
                                + "/jobs/"
                                + job.getJobID()
                                + "/exceptions?maxExceptions=1"
                        : null;
        this.err = err;
    }

    /** Prints what changed since the last call; never throws. */
    void poll() {
        try {
            JobStatus status = job.getJobStatus().get(5, TimeUnit.SECONDS);
            reportNewFailure();
            if (status == JobStatus.RUNNING && downSince > 0) {
                err.println(
                        "depthflow: "
                                + TIME.format(Instant.now())
                                + " the job runs again, restored from its latest"
                                + " checkpoint (down since "
                                + TIME.format(Instant.ofEpochMilli(downSince))
                                + " UTC)");
                downSince = 0;
            }
        } catch (Exception e) {
            LOG.debug("Job status not available", e);
        }
    }

    private void reportNewFailure() throws Exception {
        if (exceptionsUrl == null) {
            return;
        }
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(exceptionsUrl))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return;
        }
        Matcher ts = TIMESTAMP.matcher(r.body());
        if (!ts.find()) {
            return;
        }
        long at = Long.parseLong(ts.group(1));
        if (at <= lastFailureSeen) {
            return;
        }
        lastFailureSeen = at;
        failures++;
        if (downSince == 0) {
            downSince = at;
        }
        String trace = jsonString(r.body(), "stacktrace");
        String cause = trace == null ? "see the log" : rootCause(trace);
        err.println(
                "depthflow: "
                        + TIME.format(Instant.ofEpochMilli(at))
                        + " the job failed ("
                        + cause
                        + "); Flink restarts it from its latest checkpoint, with a growing delay of up to 1 min"
                        + " (failure "
                        + failures
                        + " of this run)");
    }

    /** The message of the innermost "Caused by:" of a Java stack trace, else its first line. */
    static String rootCause(String stackTrace) {
        String cause = null;
        for (String line : stackTrace.split("\\R")) {
            if (cause == null && !line.isBlank()) {
                cause = line.trim();
            }
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length()).trim();
            }
        }
        if (cause == null) {
            return "no message";
        }
        return cause.length() > 200 ? cause.substring(0, 200) + "..." : cause;
    }

    /**
     * The unescaped value of the first string field {@code field} in {@code json}, or null. A plain
     * scan: stack traces run to megabytes, more than a backtracking regex's stack allows.
     */
    static String jsonString(String json, String field) {
        Matcher key = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"").matcher(json);
        if (!key.find()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (int i = key.end(); i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\' || i + 1 == json.length()) {
                b.append(c);
                continue;
            }
            char n = json.charAt(++i);
            switch (n) {
                case 'n':
                    b.append('\n');
                    break;
                case 't':
                    b.append('\t');
                    break;
                case 'r':
                    b.append('\r');
                    break;
                case 'u':
                    if (i + 4 < json.length()) {
                        b.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    break;
                default:
                    b.append(n);
            }
        }
        return null;
    }
}
