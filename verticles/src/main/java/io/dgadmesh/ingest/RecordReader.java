package io.dgadmesh.ingest;

import java.io.Closeable;
import java.io.IOException;

/**
 * A pull-based, streaming reader of DNS records. Pulling (rather than pushing into a callback) is
 * what gives ingest its back-pressure: a reader reads input only when its consumer asks for the
 * next record, so a slow classifier slows the reader and no queue grows.
 */
public interface RecordReader extends Closeable {

  /**
   * The next record, or {@code null} at the end of the input. A malformed line or record is counted
   * in {@link #counts()} (with its line number) and skipped; it never ends the input.
   */
  DnsRecord next() throws IOException;

  /** What has been read so far: lines, records, malformed and over-limit lines. */
  ParseCounts counts();
}
