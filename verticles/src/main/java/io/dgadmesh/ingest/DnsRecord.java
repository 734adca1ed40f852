package io.dgadmesh.ingest;

import java.util.List;

/**
 * One DNS query (with its answer where the log has one), as every parser yields it. This record is
 * the one contract between the parsers, per-host detection, the offline {@code hosts} command and
 * the live ingest path; the wire form for the event bus and Redis is owned by {@code bus}.
 *
 * @param timeMillis epoch milliseconds of the query, or {@link #UNKNOWN_TIME} when the log has none
 * @param client the client host's address as text (IPv4 or IPv6), or "" when the log has none
 * @param query the queried name as logged (not normalised: the classifier normalises and may refuse)
 * @param qtype the query type's mnemonic ("A", "AAAA", "TXT", ...), or "" when unknown
 * @param rcode the response code's mnemonic ("NOERROR", "NXDOMAIN", "SERVFAIL", ...), or "" when the
 *     log has no answer for this query
 * @param answers answer data where the log carries it (addresses, CNAME targets), else empty
 */
public record DnsRecord(
    long timeMillis, String client, String query, String qtype, String rcode, List<String> answers) {

  public static final long UNKNOWN_TIME = Long.MIN_VALUE;
  public static final String NXDOMAIN = "NXDOMAIN";

  public DnsRecord {
    client = client == null ? "" : client;
    qtype = qtype == null ? "" : qtype;
    rcode = rcode == null ? "" : rcode;
    answers = answers == null ? List.of() : List.copyOf(answers);
  }

  public boolean nxdomain() {
    return NXDOMAIN.equals(rcode);
  }

  public boolean hasTime() {
    return timeMillis != UNKNOWN_TIME;
  }
}
