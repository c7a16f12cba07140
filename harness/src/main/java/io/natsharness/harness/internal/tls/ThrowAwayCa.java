package io.natsharness.harness.internal.tls;

import io.natsharness.harness.HarnessException;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at start and thrown away with the environment, and the server and
 * client certificates it signs. ECDSA P-256: generating a key takes about a millisecond, where RSA
 * 2048 takes a noticeable fraction of a second on a busy machine.
 *
 * <pre>{@code
 * ThrowAwayCa ca = ThrowAwayCa.create();
 * TlsFiles files = ca.issue(dir, List.of("localhost", "127.0.0.1"), true);
 * }</pre>
 */
public final class ThrowAwayCa {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration VALIDITY = Duration.ofDays(2);

    private final KeyPair keyPair;
    private final X509Certificate certificate;

    private ThrowAwayCa(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    /** A new CA with a fresh key. */
    public static ThrowAwayCa create() {
        try {
            KeyPair keys = newKeyPair();
            X500Name name = new X500Name("CN=nats-harness throw-away CA " + Long.toHexString(RANDOM.nextLong()));
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), notBefore(),
                    notAfter(), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new ThrowAwayCa(keys, sign(builder, keys));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new HarnessException("could not make a throw-away CA: " + e.getMessage(), e);
        }
    }

    /** The CA certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Issues a certificate for server and client use, with the given host names and IP addresses as
     * subject alternative names, and writes {@code ca.pem}, {@code <name>-cert.pem} and
     * {@code <name>-key.pem} (PKCS#8) into {@code dir}.
     */
    public IssuedFiles issue(Path dir, String name, List<String> altNames) {
        try {
            KeyPair keys = newKeyPair();
            X500Name subject = new X500Name("CN=" + name);
            X500Name issuer = new X500Name(certificate.getSubjectX500Principal().getName());
            GeneralName[] sans = altNames.stream().map(ThrowAwayCa::generalName).toArray(GeneralName[]::new);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial(), notBefore(),
                    notAfter(), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            X509Certificate cert = sign(builder, keyPair);
            Files.createDirectories(dir);
            Path ca = write(dir.resolve("ca.pem"), certificate);
            Path certFile = write(dir.resolve(name + "-cert.pem"), cert);
            Path keyFile = write(dir.resolve(name + "-key.pem"), keys.getPrivate());
            return new IssuedFiles(ca, certFile, keyFile);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new HarnessException("could not issue a certificate for " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * PEM files of an issued certificate.
     *
     * @param caFile   the CA certificate
     * @param certFile the issued certificate
     * @param keyFile  its private key (PKCS#8)
     */
    public record IssuedFiles(Path caFile, Path certFile, Path keyFile) {
    }

    private static GeneralName generalName(String altName) {
        boolean ip = altName.matches("[0-9.]+") || altName.contains(":");
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, altName);
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    private static Path write(Path file, Object pemObject) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pemObject instanceof java.security.PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : pemObject);
        }
        return Files.writeString(file, text.toString());
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofMinutes(5)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(VALIDITY));
    }
}
