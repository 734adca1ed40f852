package io.dgadmesh.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSourceTest {

  @Test
  void linesAtTheLimitPassAndLongerOnesAreFlaggedWhateverTheReadSizes() throws IOException {
    int max = 1024;
    String atLimit = "a".repeat(max);
    String over = "b".repeat(max + 1);
    String huge = "c".repeat(10 * max);
    String text = atLimit + "\r\n" + over + "\n" + huge + "\nshort\n\nlast";
    for (int chunk : new int[] {1, 7, 1000, 100_000}) {
      List<String> lines = new ArrayList<>();
      List<Long> flagged = new ArrayList<>();
      LineSource source = new LineSource(trickle(text.getBytes(StandardCharsets.US_ASCII), chunk), max);
      while (source.next()) {
        if (source.overLong()) {
          flagged.add(source.lineNumber());
        } else {
          lines.add(new String(source.buffer(), source.start(), source.length(), StandardCharsets.US_ASCII));
        }
      }
      assertEquals(List.of(atLimit, "short", "", "last"), lines, "chunk " + chunk);
      assertEquals(List.of(2L, 3L), flagged, "chunk " + chunk);
    }
  }

  @Test
  void anOverLongLastLineWithoutNewlineIsFlagged() throws IOException {
    LineSource source = new LineSource(new ByteArrayInputStream("x".repeat(5000).getBytes(StandardCharsets.US_ASCII)), 1024);
    assertTrue(source.next());
    assertTrue(source.overLong());
    assertFalse(source.next());
  }

  /** A stream that gives at most {@code chunk} bytes per read, as pipes and gzip do. */
  private static InputStream trickle(byte[] data, int chunk) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }
}
