package io.dgadmesh.cli;

import java.io.IOException;
import java.io.Reader;

/**
 * Lines of a text, each cut to its first {@code max} characters: a file without line breaks
 * ({@code -f /dev/zero}, a binary) must not grow one line until the heap is gone. The rest of a
 * long line is read and dropped; the next line starts after its line break.
 */
final class BoundedLines {
  private final Reader in;
  private final int max;
  private final char[] buf = new char[8192];
  private int pos;
  private int end;
  private long lastLength;

  BoundedLines(Reader in, int max) {
    this.in = in;
    this.max = max;
  }

  /** The next line (without its line break, cut to max characters), or null at the end. */
  String next() throws IOException {
    StringBuilder line = new StringBuilder();
    long length = 0;
    while (true) {
      if (pos == end) {
        end = in.read(buf, 0, buf.length);
        pos = 0;
        if (end <= 0) {
          end = 0;
          lastLength = length;
          return length == 0 && line.isEmpty() ? null : strip(line);
        }
      }
      char c = buf[pos++];
      if (c == '\n') {
        lastLength = length;
        return strip(line);
      }
      length++;
      if (line.length() < max) {
        line.append(c);
      }
    }
  }

  /** Characters read for the line last returned (a carriage return included), before it was cut. */
  long lastLength() {
    return lastLength;
  }

  private static String strip(StringBuilder line) {
    int n = line.length();
    return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
  }
}
