package io.dgadmesh.model;

import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns user input into a canonical host name, or says why it cannot.
 * Rules follow RFC 1123 host names as DNS logs carry them: trim, lowercase,
 * one trailing dot dropped, IDN converted to punycode.
 */
public final class HostnameNormalizer {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");

  /**
   * Inputs longer than this (after trimming) cannot become a host name of at most 253 characters:
   * IDNA maps only a few invisible characters to nothing.
   */
  static final int MAX_INPUT_CHARS = 1024;

  private HostnameNormalizer() {}

  /** The outcome of normalising one input: either {@code host} or {@code error} is set. */
  public record Result(String input, String host, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  public static Result normalize(String raw) {
    if (raw == null) {
      return new Result(null, null, "empty name");
    }
    String s = raw.strip();
    if (s.length() > MAX_INPUT_CHARS) {
      // Refused before IDNA, which takes seconds over a few million characters (on an event loop).
      return new Result(raw, null, "name longer than 253 characters (" + s.length() + ")");
    }
    s = s.toLowerCase(Locale.ROOT);
    if (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.isEmpty()) {
      return new Result(raw, null, "empty name");
    }
    if (!isAscii(s)) {
      try {
        s = IDN.toASCII(s, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        return new Result(raw, null, "'" + printable(s) + "' is not a valid internationalised name: " + idnReason(e));
      }
    }
    if (s.length() > 253) {
      return new Result(raw, null, "name longer than 253 characters (" + s.length() + ")");
    }
    String[] labels = s.split("\\.", -1);
    for (String label : labels) {
      if (label.isEmpty()) {
        return new Result(raw, null, "empty label (two dots in a row, or a leading dot)");
      }
      if (label.length() > 63) {
        return new Result(raw, null, "label longer than 63 characters: " + label.substring(0, 20) + "...");
      }
      if (!LABEL.matcher(label).matches()) {
        return new Result(raw, null, "label '" + printable(label) + "' has characters outside a host name"
            + " (letters, digits and inner hyphens only)");
      }
    }
    if (labels.length >= 2 && ALL_DIGITS.matcher(labels[labels.length - 1]).matches()) {
      return new Result(raw, null, "an IP address, not a domain name");
    }
    return new Result(raw, s, null);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** Java's IDN reasons; its messages append the input (any code point at all) to them. */
  private static final List<String> IDN_REASONS = List.of(
      "A prohibited code point was found in the input", "The input does not conform to the rules for BiDi code points",
      "The label in the input is too long", "The input starts with the ACE Prefix",
      "Contains non-LDH ASCII characters", "Has leading or trailing hyphen", "Unassigned code point");

  /** Java's IDN reason, without its exception class and without the input appended to it. */
  private static String idnReason(IllegalArgumentException e) {
    String m = String.valueOf(e.getMessage());
    for (String reason : IDN_REASONS) {
      if (m.contains(reason)) {
        return Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
      }
    }
    return "rejected by IDNA";
  }

  /** Keeps error messages printable: hostile inputs are echoed, never interpreted. */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 64; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
