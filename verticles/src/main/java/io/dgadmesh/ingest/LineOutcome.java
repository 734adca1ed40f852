package io.dgadmesh.ingest;

/**
 * What one line came to: carried DNS data, carried none (a header, a comment, another event type),
 * was malformed, or held something over a limit. The two common outcomes are shared constants so a
 * well-formed line allocates nothing here.
 */
public record LineOutcome(Kind kind, String reason) {

  public enum Kind { ACCEPTED, SKIPPED, MALFORMED, OVER_LIMIT }

  public static final LineOutcome ACCEPTED = new LineOutcome(Kind.ACCEPTED, "");
  public static final LineOutcome SKIPPED = new LineOutcome(Kind.SKIPPED, "");

  public static LineOutcome malformed(String reason) {
    return new LineOutcome(Kind.MALFORMED, reason);
  }

  public static LineOutcome overLimit(String reason) {
    return new LineOutcome(Kind.OVER_LIMIT, reason);
  }

  /** Counts this outcome for the line numbered {@code line}. */
  void countIn(ParseCounts counts, long line) {
    switch (kind) {
      case ACCEPTED -> counts.accept();
      case SKIPPED -> counts.skip();
      case MALFORMED -> counts.malformed(line, reason);
      case OVER_LIMIT -> counts.overLimit(line, reason);
    }
  }
}
