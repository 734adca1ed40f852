package io.dgadmesh.ingest;

import java.util.List;
import java.util.function.Consumer;

/**
 * BIND's query log (the {@code queries} category), in the forms BIND 9 writes:
 * <pre>
 * 01-Dec-2026 12:58:19.545 queries: info: client @0x7fa7fba32098 127.0.0.1#38451 (www.example.test): query: www.example.test IN A +E(0)K (127.0.0.1)
 * client @0x7fa7fba32098 127.0.0.1#38451 (www.example.test): query: www.example.test IN A +E(0)K (127.0.0.1)
 * Feb 25 11:09:43 ns1 named[812]: client 10.0.0.3#1035: query: 3.example.com IN A +
 * </pre>
 * (with or without the time, category, {@code @0x} client object, the parenthesised name or a
 * {@code view NAME:}). Each query line is one record, out at once: the query log carries no answer,
 * so the rcode is "". Lines of other categories (query-errors, lame-servers, ...) are skipped.
 */
final class BindQueryLogParser implements LineParser {
  private final Interner clients = new Interner(8192);

  @Override
  public LineOutcome parse(byte[] buf, int off, int len, Consumer<DnsRecord> out) {
    String line = Text.string(buf, off, len);
    int client = line.indexOf("client ");
    int query = line.indexOf(": query: ", client < 0 ? 0 : client);
    if (client < 0 || query < 0) {
      if (line.isBlank() || client >= 0 || looksLogged(line)) {
        return LineOutcome.SKIPPED;
      }
      return LineOutcome.malformed("not a BIND query log line");
    }
    // "client [@0x...] ADDRESS#PORT[ (name)][: view V]: query: NAME CLASS TYPE FLAGS (SERVER)"
    int at = client + 7;
    if (line.startsWith("@0x", at)) {
      at = line.indexOf(' ', at);
      if (at < 0) {
        return LineOutcome.malformed("no client address after the client object");
      }
      at++;
    }
    int hash = line.indexOf('#', at);
    if (hash < 0 || hash > query) {
      return LineOutcome.malformed("no client ADDRESS#PORT");
    }
    String address = line.substring(at, hash);
    if (address.isEmpty() || address.indexOf(' ') >= 0) {
      return LineOutcome.malformed("no client ADDRESS#PORT");
    }
    int nameStart = query + 9;
    int nameEnd = line.indexOf(' ', nameStart);
    if (nameEnd < 0) {
      return LineOutcome.malformed("query without class and type");
    }
    int classEnd = line.indexOf(' ', nameEnd + 1);
    if (classEnd < 0) {
      return LineOutcome.malformed("query without a type");
    }
    int typeEnd = line.indexOf(' ', classEnd + 1);
    if (typeEnd < 0) {
      typeEnd = line.length();
    }
    String qtype = line.substring(classEnd + 1, typeEnd);
    if (qtype.isEmpty()) {
      return LineOutcome.malformed("query without a type");
    }
    String name = Text.queryName(line.substring(nameStart, nameEnd));
    if (name == null) {
      return LineOutcome.SKIPPED;
    }
    if (Text.overLong(name)) {
      return LineOutcome.overLimit(Text.OVER_LONG_NAME);
    }
    long time = Timestamps.leading(line, System.currentTimeMillis())[0];
    byte[] addr = address.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    out.accept(new DnsRecord(time, clients.get(addr, 0, addr.length), name, qtype, "", List.of()));
    return LineOutcome.ACCEPTED;
  }

  /** A line of some logger (a time or a "program[pid]:" prefix), just not a query. */
  static boolean looksLogged(String line) {
    return Timestamps.leading(line, System.currentTimeMillis())[1] > 0 || line.indexOf("]: ") > 0;
  }
}
