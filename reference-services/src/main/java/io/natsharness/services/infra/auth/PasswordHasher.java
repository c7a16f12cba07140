package io.natsharness.services.infra.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted slow password hashes: PBKDF2-HMAC-SHA256, 210 000 iterations (OWASP's figure for this
 * function), a random 16-byte salt per principal, a 32-byte hash.
 */
final class PasswordHasher {

  static final int ITERATIONS = 210_000;
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;

  private final SecureRandom random = new SecureRandom();
  // Compared against when the principal does not exist, so both failures take the same time.
  private final byte[] dummySalt = newSalt();

  byte[] newSalt() {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return salt;
  }

  byte[] hash(String password, byte[] salt) {
    try {
      KeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, HASH_BYTES * 8);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
    }
  }

  /** Constant-time check of a password against a stored salt and hash. */
  boolean matches(String password, byte[] salt, byte[] expected) {
    return MessageDigest.isEqual(hash(password, salt), expected);
  }

  /** Spends the time of a real check, for an unknown principal. */
  void burn(String password) {
    hash(password, dummySalt);
  }
}
