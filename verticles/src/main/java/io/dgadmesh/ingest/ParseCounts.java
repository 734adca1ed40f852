package io.dgadmesh.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a reader has seen. Malformed lines are counted and the first few are kept with their line
 * number and reason, so a user can find them; the rest are only counted, which keeps this bounded.
 *
 * <p>Every line (a packet, for captures) ends in exactly one of four counts, so they add up:
 * {@code lines == accepted + skipped + malformed + overLimit}. Accepted lines carry DNS data (one
 * line may give several records, or share one with another line, as a query and its reply do);
 * skipped lines are well-formed but carry no query (headers, comments, other event types).
 */
public final class ParseCounts {
  public static final int KEPT_PROBLEMS = 20;

  public record Problem(long line, String reason) {}

  private long lines;
  private long accepted;
  private long skipped;
  private long records;
  private long malformed;
  private long overLimit;
  private final List<Problem> problems = new ArrayList<>();

  public void line() {
    lines++;
  }

  public void accept() {
    accepted++;
  }

  public void skip() {
    skipped++;
  }

  public void record() {
    records++;
  }

  public void malformed(long line, String reason) {
    malformed++;
    keep(line, reason);
  }

  public void overLimit(long line, String reason) {
    overLimit++;
    keep(line, reason);
  }

  private void keep(long line, String reason) {
    if (problems.size() < KEPT_PROBLEMS) {
      problems.add(new Problem(line, reason));
    }
  }

  public long lines() {
    return lines;
  }

  public long accepted() {
    return accepted;
  }

  public long skipped() {
    return skipped;
  }

  public long records() {
    return records;
  }

  public long malformed() {
    return malformed;
  }

  public long overLimit() {
    return overLimit;
  }

  public List<Problem> problems() {
    return Collections.unmodifiableList(problems);
  }

  /** Lines not yet sorted into one of the four counts: 0 once a reader has finished a line. */
  public long unaccounted() {
    return lines - accepted - skipped - malformed - overLimit;
  }

  @Override
  public String toString() {
    return "lines=" + lines + " accepted=" + accepted + " skipped=" + skipped + " malformed=" + malformed
        + " overLimit=" + overLimit + " records=" + records;
  }
}
