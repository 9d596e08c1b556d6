package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.model.RawMessage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends the order book requests with {@link java.net.http.HttpClient}: connect timeout, per-request
 * timeout, a User-Agent, no redirects, and the JDK's default TLS (certificate and host name
 * verification on). Asynchronous, so one thread can have requests for several markets in flight.
 *
 * <p>The returned futures never fail: a request that got no response becomes {@link
 * RawMessage#restFailure} with the exception's type and message; every message is stamped with the
 * source clock's time at the moment the response (or the failure) arrived.
 */
@Internal
public final class BookHttpClient {

    private final RestPollConfig config;
    private final HttpClient client;

    public BookHttpClient(RestPollConfig config) {
        this.config = config;
        this.client =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofMillis(config.connectTimeoutMs()))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    public CompletableFuture<PollOutcome> fetch(String exchange, String market) {
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> sent;
        String target = config.baseUrl(exchange);
        try {
            URI uri =
                    BookRequests.uri(
                            exchange,
                            config.baseUrl(exchange),
                            market,
                            config.depthCount(exchange));
            target = "GET " + uri;
            HttpRequest request =
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofMillis(config.requestTimeoutMs()))
                            .header("User-Agent", config.userAgent())
                            .header("Accept", "application/json")
                            .GET()
                            .build();
            sent = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        } catch (RuntimeException e) {
            // A request that cannot even be built is a failed poll too, not a failed job.
            sent = CompletableFuture.failedFuture(e);
        }
        String requestTarget = target;
        return sent.handle(
                (response, failure) -> {
                    long receivedAt = config.clock().currentTimeMillis();
                    long latencyMs = (System.nanoTime() - started) / 1_000_000;
                    if (failure != null) {
                        return new PollOutcome(
                                RawMessage.restFailure(
                                        exchange,
                                        market,
                                        receivedAt,
                                        describe(requestTarget, failure)),
                                latencyMs,
                                0);
                    }
                    long retryAfterMs =
                            PollSchedule.retryAfterMs(
                                    response.headers().firstValue("Retry-After").orElse(null),
                                    System.currentTimeMillis());
                    return new PollOutcome(
                            RawMessage.restResponse(
                                    exchange,
                                    market,
                                    receivedAt,
                                    response.statusCode(),
                                    response.body()),
                            latencyMs,
                            retryAfterMs);
                });
    }

    /**
     * What failed and why, in one line: the request, then each cause's type and message (a JDK
     * {@code ConnectException} often has no message; its cause says "connection refused" or that
     * the host could not be resolved).
     */
    static String describe(String target, Throwable failure) {
        StringBuilder sb = new StringBuilder(target).append(": ");
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String said = "";
        for (int depth = 0; cause != null && depth < 4; depth++, cause = cause.getCause()) {
            String message = cause.getMessage();
            if (depth > 0) {
                if (message != null && said.contains(message)) {
                    continue; // a wrapper repeating its cause's text adds nothing
                }
                sb.append(" <- ");
            }
            sb.append(cause.getClass().getSimpleName());
            if (message != null) {
                sb.append(": ").append(message);
                said = said + message;
            }
        }
        return sb.toString();
    }
}
