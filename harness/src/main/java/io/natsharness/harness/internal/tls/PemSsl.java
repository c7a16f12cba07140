package io.natsharness.harness.internal.tls;

import io.natsharness.harness.HarnessException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Builds an {@link SSLContext} from PEM files: a CA to trust and, for mutual TLS, a client
 * certificate and key. The format teams' deployments (and nats-server) use.
 *
 * <pre>{@code
 * SSLContext ssl = PemSsl.context(caFile, Optional.of(certFile), Optional.of(keyFile));
 * }</pre>
 */
public final class PemSsl {

    private static final char[] NO_PASSWORD = new char[0];

    private PemSsl() {
    }

    /** An SSL context trusting {@code caFile}, presenting {@code certFile}/{@code keyFile} when given. */
    public static SSLContext context(Path caFile, Optional<Path> certFile, Optional<Path> keyFile) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : certificates(caFile)) {
                trust.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (certFile.isPresent() && keyFile.isPresent()) {
                KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
                keys.load(null, null);
                keys.setKeyEntry("client", privateKey(keyFile.get()), NO_PASSWORD,
                        certificates(certFile.get()).toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, NO_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new HarnessException("could not build a TLS context from " + caFile + certFile.map(c -> ", " + c)
                    .orElse("") + ": " + e.getMessage(), e);
        }
    }

    private static java.util.List<X509Certificate> certificates(Path file) throws IOException,
            GeneralSecurityException {
        try (var in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException(file + " holds no unencrypted private key (found "
                    + (parsed == null ? "nothing" : parsed.getClass().getSimpleName()) + ")");
        }
    }
}
