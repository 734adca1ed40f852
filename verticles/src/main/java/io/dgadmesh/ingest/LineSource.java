package io.dgadmesh.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Lines of an input stream as byte slices of one reused buffer, so reading a line allocates
 * nothing. A line longer than the limit is reported as over-long and skipped up to its line break
 * without ever being held whole: memory stays at about twice the limit, whatever the input.
 * Line breaks are LF or CRLF.
 */
final class LineSource implements Closeable {
  static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

  private final InputStream in;
  private final int maxLine;
  private final byte[] buf;
  private int pos;
  private int limit;
  private boolean eof;
  private long lineNumber;
  private int lineStart;
  private int lineEnd;
  private boolean overLong;

  LineSource(InputStream in, int maxLineBytes) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be at least 1: " + maxLineBytes);
    }
    this.in = in;
    this.maxLine = maxLineBytes;
    this.buf = new byte[Math.max(2 * maxLineBytes + 2, 8192)];
  }

  /** Advances to the next line; false at the end of the input. */
  boolean next() throws IOException {
    while (true) {
      int nl = indexOfNewline(pos, limit);
      if (nl >= 0) {
        setLine(pos, nl);
        pos = nl + 1;
        overLong = lineEnd - lineStart > maxLine;
        return true;
      }
      if (limit - pos > maxLine + 1) {
        return skipOverLong();
      }
      if (eof) {
        if (pos < limit) {
          setLine(pos, limit);
          pos = limit;
          overLong = lineEnd - lineStart > maxLine;
          return true;
        }
        return false;
      }
      fill();
    }
  }

  private void setLine(int start, int newline) {
    lineNumber++;
    overLong = false;
    lineStart = start;
    int end = newline;
    if (end > start && buf[end - 1] == '\r') {
      end--;
    }
    lineEnd = end;
  }

  /** Drops the current over-long line, whose break is not in the buffer, up to its break. */
  private boolean skipOverLong() throws IOException {
    lineNumber++;
    overLong = true;
    lineStart = 0;
    lineEnd = 0;
    pos = limit;
    while (true) {
      if (eof) {
        return true;
      }
      pos = 0;
      limit = 0;
      fill();
      int at = indexOfNewline(0, limit);
      if (at >= 0) {
        pos = at + 1;
        return true;
      }
      pos = limit;
    }
  }

  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
  }

  private int indexOfNewline(int from, int to) {
    byte[] b = buf;
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  long lineNumber() {
    return lineNumber;
  }

  /** True when the current line was over the limit; its bytes are then not available. */
  boolean overLong() {
    return overLong;
  }

  byte[] buffer() {
    return buf;
  }

  int start() {
    return lineStart;
  }

  int length() {
    return lineEnd - lineStart;
  }

  int maxLineBytes() {
    return maxLine;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
