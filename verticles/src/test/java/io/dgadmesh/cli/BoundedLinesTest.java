package io.dgadmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {

  @Test
  void linesAsGivenAndLongOnesCut() throws IOException {
    BoundedLines lines = new BoundedLines(new StringReader("a.com\r\n\nxxxxxxxxxx\nb.org"), 4);
    assertEquals("a.com".substring(0, 4), lines.next(), "cut to 4 characters");
    assertEquals(6, lines.lastLength(), "the carriage return counted: it was read");
    assertEquals("", lines.next());
    assertEquals("xxxx", lines.next());
    assertEquals(10, lines.lastLength());
    assertEquals("b.or", lines.next(), "the last line needs no line break");
    assertNull(lines.next());
  }

  /** 1 GiB of one line without a break (as -f /dev/zero): read through with a few KiB of memory. */
  @Test
  void endlessLineDoesNotGrow() throws IOException {
    long size = 1L << 30;
    Reader zeros = new Reader() {
      long left = size;

      @Override
      public int read(char[] cbuf, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(cbuf, off, off + n, '\0');
        left -= n;
        return n;
      }

      @Override
      public void close() {
      }
    };
    BoundedLines lines = new BoundedLines(zeros, 1025);
    assertEquals(1025, lines.next().length());
    assertEquals(size, lines.lastLength());
    assertNull(lines.next());
  }
}
