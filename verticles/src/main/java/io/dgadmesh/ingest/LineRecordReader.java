package io.dgadmesh.ingest;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A {@link RecordReader} over the lines of a text log: reads a line only when its consumer wants
 * a record and none is waiting, hands each line to the format's {@link LineParser} and counts what
 * the line came to. What waits here is what one line (or the end of the input) produced, so it is
 * bounded by the line limit and the parser's own bounds.
 */
final class LineRecordReader implements RecordReader {
  private final LineSource lines;
  private final LineParser parser;
  private final ParseCounts counts = new ParseCounts();
  private final ArrayDeque<DnsRecord> ready = new ArrayDeque<>();
  private final Consumer<DnsRecord> sink = ready::add;
  private final String overLongReason;
  private boolean ended;

  LineRecordReader(LineSource lines, LineParser parser) {
    this.lines = lines;
    this.parser = parser;
    this.overLongReason = "line longer than " + lines.maxLineBytes() + " bytes";
  }

  @Override
  public DnsRecord next() throws IOException {
    while (ready.isEmpty()) {
      if (ended) {
        return null;
      }
      if (!lines.next()) {
        ended = true;
        parser.endOfInput(sink);
        continue;
      }
      counts.line();
      long number = lines.lineNumber();
      if (lines.overLong()) {
        counts.overLimit(number, overLongReason);
        continue;
      }
      LineOutcome outcome;
      try {
        outcome = parser.parse(lines.buffer(), lines.start(), lines.length(), sink);
      } catch (RuntimeException e) {
        // A parser bug must cost one line, never the rest of the input.
        outcome = LineOutcome.malformed("could not parse: " + e);
      }
      outcome.countIn(counts, number);
    }
    counts.record();
    return ready.poll();
  }

  @Override
  public ParseCounts counts() {
    return counts;
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
