package io.dgadmesh.ingest;

import java.util.List;

/**
 * Which CSV columns hold what, by header name (matched without regard to case). A null column is
 * looked for under its usual names; only the name column must be found.
 *
 * @param name the query name's column (default: query, qname, name, domain, hostname)
 * @param client the client address's column (default: client, src_ip, source_ip, client_ip, host)
 * @param time the time's column, epoch seconds, epoch milliseconds or ISO 8601 (default: ts,
 *     timestamp, time)
 * @param rcode the response code's column (default: rcode_name, rcode)
 * @param qtype the query type's column (default: qtype_name, qtype, type)
 */
public record CsvColumns(String name, String client, String time, String rcode, String qtype) {

  public static final CsvColumns AUTO = new CsvColumns(null, null, null, null, null);

  static final List<String> NAME = List.of("query", "qname", "name", "domain", "hostname");
  static final List<String> CLIENT = List.of("client", "src_ip", "source_ip", "client_ip", "host");
  static final List<String> TIME = List.of("ts", "timestamp", "time");
  static final List<String> RCODE = List.of("rcode_name", "rcode");
  static final List<String> QTYPE = List.of("qtype_name", "qtype", "type");

  /** Only the name's column given; the others are looked for. */
  public static CsvColumns name(String column) {
    return new CsvColumns(column, null, null, null, null);
  }
}
