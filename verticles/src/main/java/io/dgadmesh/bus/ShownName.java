package io.dgadmesh.bus;

/**
 * A client's text as the node keeps, publishes and logs it when it is refused: whole when short,
 * else its first {@link #PREFIX_BYTES} bytes of UTF-8 and a marker with the full size, e.g.
 * {@code "aaaa…(3145728 bytes)"}. An invalid name of megabytes then costs its callers' answer
 * nothing more than a host name does: the recent-results ring, the results published on the bus,
 * the Redis reasons and the log each keep the prefix, never the input.
 *
 * <p>Idempotent: a shown text is short enough to be shown whole, so results that cross the bus
 * again (and are shown again) do not grow a second marker.
 */
public final class ShownName {

  /** Texts up to this many UTF-8 bytes are shown whole. */
  public static final int WHOLE_UP_TO_BYTES = 300;
  /** A longer text is cut to its first this many bytes (fewer, to end on a whole character). */
  public static final int PREFIX_BYTES = 256;

  private ShownName() {}

  /** {@code text} whole, or its prefix and the marker; null stays null. */
  public static String of(String text) {
    if (text == null || text.length() <= WHOLE_UP_TO_BYTES / 3) {
      return text; // at most three UTF-8 bytes per char (four per surrogate pair)
    }
    if (text.length() <= WHOLE_UP_TO_BYTES && utf8Length(text, WHOLE_UP_TO_BYTES + 1) <= WHOLE_UP_TO_BYTES) {
      return text;
    }
    int end = 0;
    int bytes = 0;
    while (end < text.length()) {
      char c = text.charAt(end);
      int width;
      int chars = 1;
      if (Character.isHighSurrogate(c) && end + 1 < text.length() && Character.isLowSurrogate(text.charAt(end + 1))) {
        width = 4;
        chars = 2;
      } else {
        width = utf8Width(c);
      }
      if (bytes + width > PREFIX_BYTES) {
        break;
      }
      bytes += width;
      end += chars;
    }
    return text.substring(0, end) + "…(" + utf8Length(text, Long.MAX_VALUE) + " bytes)";
  }

  /** The UTF-8 length of {@code s}, counting no further than {@code stopAbove}. */
  private static long utf8Length(String s, long stopAbove) {
    long n = 0;
    for (int i = 0; i < s.length() && n <= stopAbove; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += utf8Width(c);
      }
    }
    return n;
  }

  /** A lone surrogate counts as the '?' Java's encoder writes for it. */
  private static int utf8Width(char c) {
    if (c < 0x80 || Character.isSurrogate(c)) {
      return 1;
    }
    return c < 0x800 ? 2 : 3;
  }
}
