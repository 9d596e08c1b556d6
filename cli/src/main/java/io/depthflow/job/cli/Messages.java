package io.depthflow.job.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.depthflow.sources.capture.CaptureFormatException;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.StrictJson;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cause of a failure in words, for the one line a CLI command prints: our own exceptions'
 * messages as they are, a JDK exception without a message named by what happened ({@code connection
 * refused}, not {@code null}), a JSON syntax error without Jackson's source excerpt, a ClickHouse
 * error without its repeated {@code Code: N. DB::Exception:} prefix and version.
 */
final class Messages {

    private static final Pattern CLICKHOUSE_PREFIX =
            Pattern.compile("Code: (\\d+)\\. DB::Exception: ");
    private static final Pattern CLICKHOUSE_VERSION =
            Pattern.compile("\\s*\\(version [^)]*\\)\\.?");

    private Messages() {}

    /**
     * The cause of {@code e} in one line: the first exception in its chain that carries a message
     * meant for users (a capture or book format error), else the root cause in words.
     */
    static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CaptureFormatException || t instanceof BookParseException) {
                return oneLine(t.getMessage());
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            if (isNetwork(root)) {
                // e.g. the JDK HTTP client's ConnectException, caused by a ClosedChannelException
                return oneLine(describe(root));
            }
            root = root.getCause();
        }
        return oneLine(describe(root));
    }

    private static boolean isNetwork(Throwable t) {
        return t instanceof ConnectException
                || t instanceof BindException
                || t instanceof HttpTimeoutException
                || t instanceof SocketTimeoutException
                || t instanceof UnknownHostException
                || t instanceof NoRouteToHostException
                || t instanceof UnresolvedAddressException;
    }

    /** One throwable in words, without its causes. */
    static String describe(Throwable t) {
        if (t instanceof JsonProcessingException j) {
            JsonLocation at = j.getLocation();
            String where =
                    at == null || at.getLineNr() < 0
                            ? ""
                            : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            return "invalid JSON" + where + ": " + StrictJson.syntaxError(j);
        }
        String m = t.getMessage();
        boolean blank = m == null || m.isBlank();
        if (t instanceof BindException) {
            return blank ? "address already in use" : m.toLowerCase(java.util.Locale.ROOT);
        }
        if (t instanceof ConnectException) {
            // The JDK HTTP client's ConnectException has no message; the socket's says "Connection
            // refused".
            return blank ? "connection refused" : m;
        }
        if (t instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
            return blank ? "timed out" : m;
        }
        if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
            return blank ? "unknown host (no DNS answer)" : "unknown host " + m;
        }
        if (t instanceof NoRouteToHostException) {
            return blank ? "no route to host" : m;
        }
        if (t instanceof NoSuchFileException) {
            return m + ": no such file or directory";
        }
        if (t instanceof AccessDeniedException) {
            return m + ": permission denied";
        }
        if (t instanceof NotDirectoryException) {
            return m + ": not a directory";
        }
        if (blank) {
            return words(t.getClass().getSimpleName());
        }
        return m;
    }

    /**
     * A stored transport error ({@code GET URL: ConnectException <- UnresolvedAddressException}, as
     * the pollers record it) with its exception chain said in words: {@code GET URL: unknown host
     * (no DNS answer)}. Other text is returned as it is.
     */
    static String transportError(String stored) {
        int at = stored.lastIndexOf(": ");
        if (at < 0) {
            return stored;
        }
        String chain = stored.substring(at + 2);
        if (!chain.matches("[A-Za-z]+(Exception|Error)( <- [A-Za-z]+(Exception|Error))*")) {
            return stored;
        }
        String[] names = chain.split(" <- ");
        String root = names[names.length - 1];
        if (names[0].equals("ConnectException") && root.equals("ClosedChannelException")) {
            root = "ConnectException"; // the JDK HTTP client's refused connection
        }
        String words;
        switch (root) {
            case "UnresolvedAddressException":
            case "UnknownHostException":
                words = "unknown host (no DNS answer)";
                break;
            case "ConnectException":
                words = "connection refused";
                break;
            case "HttpConnectTimeoutException":
                words = "connect timed out";
                break;
            case "HttpTimeoutException":
            case "SocketTimeoutException":
                words = "timed out";
                break;
            default:
                words = words(root);
        }
        return stored.substring(0, at + 2) + words;
    }

    /** {@code ClosedChannelException} as {@code closed channel}. */
    private static String words(String className) {
        String name = className.replaceFirst("(Exception|Error)$", "");
        return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A ClickHouse error body as one line: {@code Code: 73. DB::Exception: Unknown format Nope.
     * (UNKNOWN_FORMAT)}, each prefix, error name and version once at most.
     */
    static String clickHouseError(String body) {
        String line = oneLine(body.strip());
        Matcher m = CLICKHOUSE_PREFIX.matcher(line);
        String code = m.find() ? m.group(1) : null;
        line = CLICKHOUSE_PREFIX.matcher(line).replaceAll("");
        line = CLICKHOUSE_VERSION.matcher(line).replaceAll("");
        // "... (UNKNOWN_FORMAT) (UNKNOWN_FORMAT)" after the versions went: one error name.
        line = line.replaceAll("(\\s*\\([A-Z_]+\\)\\.?)(\\s*\\([A-Z_]+\\)\\.?)+$", "$1").strip();
        return code == null ? line : "Code: " + code + ". DB::Exception: " + line;
    }

    /** The ClickHouse error code of an error body, or -1. */
    static int clickHouseCode(String body) {
        Matcher m = CLICKHOUSE_PREFIX.matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
