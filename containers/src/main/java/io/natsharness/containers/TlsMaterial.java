package io.natsharness.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * PEM files for a TLS server and, for mutual TLS, a client: a CA certificate, the server's
 * certificate and key, and optionally the client's certificate and key.
 *
 * <p>The harness makes them at start (a throw-away CA) and hands them over; the containers copy
 * them in. Giving a client certificate turns on mutual TLS: the server then demands and verifies
 * client certificates. Server certificates should name {@code localhost} and {@code 127.0.0.1} (what
 * clients on the host dial) and, for a cluster, each node's network alias. Keys the JVM reads (the
 * client's) must be PKCS#8 ({@code BEGIN PRIVATE KEY}).
 *
 * <pre>{@code
 * TlsMaterial tls = TlsMaterial.builder()
 *         .withCaCertificate(dir.resolve("ca.pem"))
 *         .withServerCertificate(dir.resolve("server.pem"), dir.resolve("server-key.pem"))
 *         .build();
 * NatsContainer nats = new NatsContainer().withTls(tls);
 * }</pre>
 */
public final class TlsMaterial {

    private final Path caCertificate;
    private final Path serverCertificate;
    private final Path serverKey;
    private final Path clientCertificate;
    private final Path clientKey;

    private TlsMaterial(Builder builder) {
        this.caCertificate = builder.caCertificate;
        this.serverCertificate = builder.serverCertificate;
        this.serverKey = builder.serverKey;
        this.clientCertificate = builder.clientCertificate;
        this.clientKey = builder.clientKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path caCertificate() {
        return caCertificate;
    }

    public Path serverCertificate() {
        return serverCertificate;
    }

    public Path serverKey() {
        return serverKey;
    }

    public Optional<Path> clientCertificate() {
        return Optional.ofNullable(clientCertificate);
    }

    public Optional<Path> clientKey() {
        return Optional.ofNullable(clientKey);
    }

    /** True when a client certificate was given: servers then require one from every client. */
    public boolean isMutual() {
        return clientCertificate != null;
    }

    /**
     * A client-side context that trusts the CA and, for mutual TLS, presents the client certificate.
     *
     * @throws IllegalStateException when a file cannot be read or parsed, with the file named
     */
    public SSLContext clientSslContext() {
        return PemSslContexts.client(caCertificate, clientCertificate, clientKey);
    }

    @Override
    public String toString() {
        return "TlsMaterial[ca=" + caCertificate + ", server=" + serverCertificate
                + (isMutual() ? ", client=" + clientCertificate : "") + "]";
    }

    /** Builds a {@link TlsMaterial}: the CA and the server's certificate and key are required. */
    public static final class Builder {

        private Path caCertificate;
        private Path serverCertificate;
        private Path serverKey;
        private Path clientCertificate;
        private Path clientKey;

        private Builder() {
        }

        public Builder withCaCertificate(Path certificate) {
            this.caCertificate = pem(certificate, "CERTIFICATE", "CA certificate");
            return this;
        }

        public Builder withServerCertificate(Path certificate, Path key) {
            this.serverCertificate = pem(certificate, "CERTIFICATE", "server certificate");
            this.serverKey = pem(key, "PRIVATE KEY", "server key");
            return this;
        }

        /** The client's certificate and PKCS#8 key; turns on mutual TLS. */
        public Builder withClientCertificate(Path certificate, Path key) {
            this.clientCertificate = pem(certificate, "CERTIFICATE", "client certificate");
            this.clientKey = pem(key, "BEGIN PRIVATE KEY", "client key (PKCS#8)");
            return this;
        }

        public TlsMaterial build() {
            if (caCertificate == null) {
                throw new IllegalStateException("TLS needs a CA certificate: call withCaCertificate(..)");
            }
            if (serverCertificate == null) {
                throw new IllegalStateException("TLS needs a server certificate: call withServerCertificate(..)");
            }
            return new TlsMaterial(this);
        }

        private static Path pem(Path file, String marker, String what) {
            Objects.requireNonNull(file, what);
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException("the " + what + " is not a readable file: " + file);
            }
            String text;
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the " + what + " " + file, e);
            }
            if (!text.contains("-----BEGIN") || !text.contains(marker)) {
                throw new IllegalArgumentException("the " + what + " " + file + " is not PEM with '" + marker + "'");
            }
            return file;
        }
    }
}
