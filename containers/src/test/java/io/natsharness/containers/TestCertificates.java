package io.natsharness.containers;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA with a server and a client certificate, as the harness makes them at start. */
final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /** Writes ca.pem, server.pem, server-key.pem, client.pem, client-key.pem into the folder. */
    static TlsMaterial write(Path folder, boolean mutual) throws Exception {
        KeyPair caKeys = keyPair();
        X500Name caName = new X500Name("CN=natsharness test CA");
        X509CertificateHolder ca = sign(caName, caName, caKeys, caKeys, builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        });
        KeyPair serverKeys = keyPair();
        X509CertificateHolder server = sign(caName, new X500Name("CN=localhost"), serverKeys, caKeys, builder -> {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "nats-1"),
                new GeneralName(GeneralName.dNSName, "nats-2"),
                new GeneralName(GeneralName.dNSName, "nats-3"),
            }));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        });
        KeyPair clientKeys = keyPair();
        X509CertificateHolder client = sign(caName, new X500Name("CN=test-client"), clientKeys, caKeys, builder ->
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)));

        writePem(folder.resolve("ca.pem"), ca);
        writePem(folder.resolve("server.pem"), server);
        writePem(folder.resolve("server-key.pem"), new JcaPKCS8Generator(serverKeys.getPrivate(), null));
        writePem(folder.resolve("client.pem"), client);
        writePem(folder.resolve("client-key.pem"), new JcaPKCS8Generator(clientKeys.getPrivate(), null));
        TlsMaterial.Builder tls = TlsMaterial.builder()
                .withCaCertificate(folder.resolve("ca.pem"))
                .withServerCertificate(folder.resolve("server.pem"), folder.resolve("server-key.pem"));
        if (mutual) {
            tls.withClientCertificate(folder.resolve("client.pem"), folder.resolve("client-key.pem"));
        }
        return tls.build();
    }

    private interface Extensions {
        void add(JcaX509v3CertificateBuilder builder) throws IOException;
    }

    private static X509CertificateHolder sign(X500Name issuer, X500Name subject, KeyPair subjectKeys, KeyPair issuerKeys,
            Extensions extensions) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
        extensions.add(builder);
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
        return builder.build(signer);
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            pem.writeObject(object);
        }
    }
}
