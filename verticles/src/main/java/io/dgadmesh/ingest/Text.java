package io.dgadmesh.ingest;

import java.nio.charset.StandardCharsets;

/** Byte-slice helpers shared by the parsers: strings without a copy through a decoder, and names. */
final class Text {
  /** The longest query name taken, in bytes, as DNS allows (RFC 1035 presentation form). */
  static final int MAX_NAME_BYTES = 253;

  static final String OVER_LONG_NAME = "query name longer than " + MAX_NAME_BYTES + " bytes";

  private Text() {}

  /** The slice as a String: ASCII (the common case) is copied byte for byte, the rest is UTF-8. */
  static String string(byte[] b, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) {
      if (b[i] < 0) {
        return new String(b, off, len, StandardCharsets.UTF_8);
      }
    }
    return new String(b, off, len, StandardCharsets.ISO_8859_1);
  }

  static boolean equalsAscii(byte[] b, int off, int len, String s) {
    if (len != s.length()) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (b[off + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static boolean startsWithAscii(byte[] b, int off, int len, String s) {
    return len >= s.length() && equalsAscii(b, off, s.length(), s);
  }

  /**
   * A logged query name as records carry it: the trailing dot of the absolute form dropped,
   * nothing else changed (underscores, arpa names and single labels are real DNS). Null for the
   * root or an empty name, which no log line about a host's lookups needs.
   */
  static String queryName(String logged) {
    if (logged == null) {
      return null;
    }
    String name = logged.endsWith(".") ? logged.substring(0, logged.length() - 1) : logged;
    return name.isEmpty() ? null : name;
  }

  /** True when the name (as {@link #queryName} gives it) is longer than DNS allows. */
  static boolean overLong(String name) {
    if (name.length() > MAX_NAME_BYTES) {
      return true;
    }
    // Only non-ASCII text can grow past the limit in UTF-8 while its char count is under it.
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) >= 0x80) {
        return name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES;
      }
    }
    return false;
  }
}
