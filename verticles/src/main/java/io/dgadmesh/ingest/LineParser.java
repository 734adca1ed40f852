package io.dgadmesh.ingest;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Parses one line of a line-based DNS log: zero or more records out, and what the line came to.
 * The Zeek-JSON and eve.json parsers are stateless, so one Kafka message can be parsed on its own;
 * parsers of formats with a header (Zeek TSV, CSV) or with replies on later lines (dnsmasq, BIND)
 * keep state between lines, bounded, and hand what they still hold to {@link #endOfInput}.
 */
public interface LineParser {

  /**
   * Parses the line held in {@code buf[off, off + len)} (without its line break). Never throws on
   * bad input: a malformed line is an outcome.
   */
  LineOutcome parse(byte[] buf, int off, int len, Consumer<DnsRecord> out);

  default LineOutcome parse(String line, Consumer<DnsRecord> out) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return parse(bytes, 0, bytes.length, out);
  }

  /** The input has ended: records still held back (queries waiting for a reply) go out now. */
  default void endOfInput(Consumer<DnsRecord> out) {}
}
