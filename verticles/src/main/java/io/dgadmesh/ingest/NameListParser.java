package io.dgadmesh.ingest;

import java.util.List;
import java.util.function.Consumer;

/**
 * A plain list: one name per line. Blank lines and {@code #} comments (whole-line, or after the
 * name following a space) are skipped; a line with two words is malformed. No time, client or
 * rcode: a list says only which names were looked up.
 */
final class NameListParser implements LineParser {

  @Override
  public LineOutcome parse(byte[] buf, int off, int len, Consumer<DnsRecord> out) {
    int s = off;
    int e = off + len;
    while (s < e && isSpace(buf[s])) {
      s++;
    }
    if (s == e || buf[s] == '#') {
      return LineOutcome.SKIPPED;
    }
    int end = s;
    while (end < e && !isSpace(buf[end])) {
      end++;
    }
    int rest = end;
    while (rest < e && isSpace(buf[rest])) {
      rest++;
    }
    if (rest < e && buf[rest] != '#') {
      return LineOutcome.malformed("more than one word on the line");
    }
    if (buf[end - 1] == '.') {
      end--;
    }
    if (end == s) {
      return LineOutcome.SKIPPED;
    }
    if (end - s > Text.MAX_NAME_BYTES) {
      return LineOutcome.overLimit(Text.OVER_LONG_NAME);
    }
    out.accept(new DnsRecord(DnsRecord.UNKNOWN_TIME, "", Text.string(buf, s, end - s), "", "", List.of()));
    return LineOutcome.ACCEPTED;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == 0x0B;
  }
}
