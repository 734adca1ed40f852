package io.dgadmesh.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
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
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA and the certificates a TLS test needs, made at test time and written as PEM files
 * (certificates; keys as unencrypted PKCS#8, which Vert.x, Redis, Kafka and the JDK all read).
 * A server certificate names localhost and 127.0.0.1, so clients verify host names as in
 * production. Nothing is shipped or committed.
 */
public final class TestCerts {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** PEM files of one certificate and its key. */
  public record Pair(Path cert, Path key) {}

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  /** The CA's certificate as PEM: what clients (and servers requiring client certificates) trust. */
  public final Path caCert;

  private TestCerts(Path dir, String caName) throws Exception {
    this.dir = dir;
    this.caKeys = keys();
    X500Name name = new X500Name("CN=" + caName);
    X509v3CertificateBuilder b = builder(name, name, caKeys);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    this.ca = sign(b, caKeys.getPrivate());
    this.caCert = write(dir.resolve(caName + ".crt"), ca);
  }

  /** Writes {@code renewed} over the files {@code cert} and {@code key} as a renewal tool does: the key, then the certificate. */
  public static void renew(Pair renewed, Path cert, Path key) throws IOException {
    java.nio.file.Files.copy(renewed.key(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    java.nio.file.Files.copy(renewed.cert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** A new CA whose files go in {@code dir}. */
  public static TestCerts ca(Path dir, String name) throws Exception {
    return new TestCerts(dir, name);
  }

  /** A server certificate for localhost and 127.0.0.1, signed by this CA. */
  public Pair server(String name) throws Exception {
    return leaf(name, KeyPurposeId.id_kp_serverAuth, true);
  }

  /** A client certificate, signed by this CA. */
  public Pair client(String name) throws Exception {
    return leaf(name, KeyPurposeId.id_kp_clientAuth, false);
  }

  /** Good for both ends: what a cluster member shows to another and also accepts. */
  public Pair member(String name) throws Exception {
    KeyPair k = keys();
    X509v3CertificateBuilder b = builder(new X500Name(ca.getSubjectX500Principal().getName()), new X500Name("CN=" + name), k);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    b.addExtension(Extension.subjectAlternativeName, false, localNames());
    return pair(name, sign(b, caKeys.getPrivate()), k);
  }

  private Pair leaf(String name, KeyPurposeId purpose, boolean local) throws Exception {
    KeyPair k = keys();
    X509v3CertificateBuilder b = builder(new X500Name(ca.getSubjectX500Principal().getName()), new X500Name("CN=" + name), k);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    if (local) {
      b.addExtension(Extension.subjectAlternativeName, false, localNames());
    }
    return pair(name, sign(b, caKeys.getPrivate()), k);
  }

  private static GeneralNames localNames() {
    return new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
  }

  private Pair pair(String name, X509Certificate cert, KeyPair k) throws IOException {
    Path c = write(dir.resolve(name + ".crt"), cert);
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(new JcaPKCS8Generator(k.getPrivate(), null));
    }
    return new Pair(c, Files.writeString(dir.resolve(name + ".key"), s.toString()));
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair k) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, k.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
  }

  private static Path write(Path file, X509Certificate cert) throws IOException {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(cert);
    }
    return Files.writeString(file, s.toString());
  }
}
