package io.dgadmesh.ingest;

/**
 * How DNS logs are read.
 *
 * @param maxLineBytes the longest line taken; a longer one is counted over the limit and skipped
 *     without being held whole
 * @param csv which CSV columns hold what
 * @param eveRequests whether the one-line eve parser ({@link DnsLogs#lineParser}) makes records
 *     of requests too (for a sensor that logs requests only); the file reader pairs them anyway
 */
public record IngestOptions(int maxLineBytes, CsvColumns csv, boolean eveRequests) {

  public static final IngestOptions DEFAULTS =
      new IngestOptions(LineSource.DEFAULT_MAX_LINE_BYTES, CsvColumns.AUTO, false);

  public IngestOptions {
    if (maxLineBytes < 1024 || maxLineBytes > 16 * 1024 * 1024) {
      throw new IllegalArgumentException("maxLineBytes must be 1 KiB to 16 MiB: " + maxLineBytes);
    }
    csv = csv == null ? CsvColumns.AUTO : csv;
  }

  public IngestOptions withCsv(CsvColumns columns) {
    return new IngestOptions(maxLineBytes, columns, eveRequests);
  }
}
