package io.depthflow.sources.rest;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.venue.coinbase.CoinbaseVenue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exchange HTTP client keeps the JDK's TLS verification: a certificate nobody vouches for and a
 * trusted certificate for another host name are both refused before any request is sent, so a man
 * in the middle cannot feed the job a fake book. A local HTTPS server on 127.0.0.1 with self-signed
 * certificates made by {@code keytool} plays the exchange.
 */
class BookHttpClientTlsTest {

    private static final char[] PASSWORD = "test-only".toCharArray();
    private static final String BOOK =
            "{\"sequence\":1,\"bids\":[[\"100.00\",\"1.0\",1]],\"asks\":[[\"101.00\",\"1.0\",1]]}";

    @TempDir Path dir;

    private HttpsServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void shouldRefuseAnUntrustedCertificateBeforeSendingTheRequest() throws Exception {
        KeyStore selfSigned = keyStore("untrusted", "dns:localhost,ip:127.0.0.1");
        String baseUrl = serve(selfSigned);

        RawMessage message = fetch(baseUrl);

        assertThat(message.hasResponse()).isFalse();
        assertThat(message.httpStatus).isZero();
        assertThat(message.error)
                .startsWith("GET https://127.0.0.1:")
                .contains(": SSLHandshakeException");
        assertThat(requests).hasValue(0);
    }

    @Test
    void shouldRefuseATrustedCertificateIssuedForAnotherHost() throws Exception {
        KeyStore otherHost = keyStore("other-host", "dns:api.exchange.invalid");
        String baseUrl = serve(otherHost);

        RawMessage message = withDefaultTrust(otherHost, () -> fetch(baseUrl));

        assertThat(message.hasResponse()).isFalse();
        assertThat(message.error)
                .startsWith("GET https://127.0.0.1:")
                .contains(": SSLHandshakeException");
        assertThat(requests).hasValue(0);
    }

    @Test
    void shouldFetchTheBookWhenTheCertificateIsTrustedAndNamesTheHost() throws Exception {
        KeyStore trusted = keyStore("trusted", "dns:localhost,ip:127.0.0.1");
        String baseUrl = serve(trusted);

        RawMessage message = withDefaultTrust(trusted, () -> fetch(baseUrl));

        assertThat(message.error).isNull();
        assertThat(message.httpStatus).isEqualTo(200);
        assertThat(message.payload).isEqualTo(BOOK);
        assertThat(requests).hasValue(1);
    }

    /** One Coinbase poll through {@link BookHttpClient}, configured exactly as the source does. */
    private static RawMessage fetch(String baseUrl) throws Exception {
        RestPollConfig config =
                RestBookSource.builder()
                        .setExchanges(CoinbaseVenue.NAME)
                        .setMarkets("BTC/USD")
                        .setBaseUrl(CoinbaseVenue.NAME, baseUrl)
                        .setConnectTimeout(Duration.ofSeconds(5))
                        .setRequestTimeout(Duration.ofSeconds(10))
                        .buildPollConfig();
        return new BookHttpClient(config)
                .fetch(CoinbaseVenue.NAME, "BTC/USD")
                .get(20, TimeUnit.SECONDS)
                .message();
    }

    private String serve(KeyStore keyStore) throws Exception {
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext(
                "/",
                exchange -> {
                    requests.incrementAndGet();
                    try (InputStream in = exchange.getRequestBody();
                            OutputStream out = exchange.getResponseBody()) {
                        in.readAllBytes();
                        byte[] body = BOOK.getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().add("Content-Type", "application/json");
                        exchange.sendResponseHeaders(200, body.length);
                        out.write(body);
                    }
                });
        server.start();
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * A PKCS12 key store with one self-signed EC key pair for {@code CN=localhost}, made by
     * keytool.
     */
    private KeyStore keyStore(String alias, String subjectAlternativeNames) throws Exception {
        Path file = dir.resolve(alias + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p =
                new ProcessBuilder(
                                List.of(
                                        keytool.toString(),
                                        "-genkeypair",
                                        "-alias",
                                        alias,
                                        "-keyalg",
                                        "EC",
                                        "-groupname",
                                        "secp256r1",
                                        "-dname",
                                        "CN=localhost",
                                        "-ext",
                                        "SAN=" + subjectAlternativeNames,
                                        "-validity",
                                        "2",
                                        "-keystore",
                                        file.toString(),
                                        "-storetype",
                                        "PKCS12",
                                        "-storepass",
                                        new String(PASSWORD),
                                        "-keypass",
                                        new String(PASSWORD)))
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool: %s", output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /**
     * Runs {@code action} while the JVM's default TLS context trusts {@code keyStore}'s certificate
     * (as if it were a public CA's), then restores the default.
     */
    private static <T> T withDefaultTrust(KeyStore keyStore, ThrowingSupplier<T> action)
            throws Exception {
        TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keyStore);
        SSLContext trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
        SSLContext original = SSLContext.getDefault();
        SSLContext.setDefault(trusting);
        try {
            return action.get();
        } finally {
            SSLContext.setDefault(original);
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
