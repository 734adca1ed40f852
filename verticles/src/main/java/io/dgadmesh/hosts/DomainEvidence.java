package io.dgadmesh.hosts;

import io.dgadmesh.ingest.DnsRecord;

/**
 * What one host did with one evidence unit (a registrable domain) in the host's state: the first
 * name seen under it, the model's verdict on it, how it was answered, and when the host first
 * asked. A host's score is a function of these entries (and of how many other hosts asked for
 * the same units), so the entries are the part of the state that must be kept and can be windowed.
 *
 * @param unit the registrable domain the evidence is about
 * @param owner for a unit under a provider's public suffix ({@code x.azureedge.net}), the provider's
 *     domain ({@code azureedge.net}); null otherwise
 * @param name the first name queried under it (what reports show)
 * @param score the model's score of the unit (the model judges the registrable domain)
 * @param family the model's family when it called the name DGA, else null
 * @param answer how the host's queries for the unit were answered
 * @param timeMillis when the host first queried the unit ({@link DnsRecord#UNKNOWN_TIME} if the log has no times)
 * @param queries how many of the host's queries fell under the unit
 */
public record DomainEvidence(String unit, String owner, String name, float score, String family, Answer answer, long timeMillis,
    int queries) {

  /** How the queries for a unit were answered, strongest claim first when answers differ. */
  public enum Answer {
    /** At least one query got an answer: the domain exists (registered), whatever else happened. */
    RESOLVED("NOERROR"),
    /** Every answered query was NXDOMAIN: the domain does not exist. */
    NXDOMAIN("NXDOMAIN"),
    /** No answer in the log (a query-only log) or only failures (SERVFAIL, REFUSED, timeouts). */
    UNANSWERED("");

    private final String rcode;

    Answer(String rcode) {
      this.rcode = rcode;
    }

    /** The rcode a report shows for this answer ("" when there was none). */
    public String rcode() {
      return rcode;
    }

    public static Answer of(String rcode) {
      if (rcode == null || rcode.isEmpty()) {
        return UNANSWERED;
      }
      if (DnsRecord.NXDOMAIN.equals(rcode)) {
        return NXDOMAIN;
      }
      // NOERROR, with or without data: the name's domain exists.
      return "NOERROR".equals(rcode) ? RESOLVED : UNANSWERED;
    }

    /** The answer of a unit queried twice: an existing domain stays existing, NXDOMAIN beats silence. */
    Answer merge(Answer other) {
      return ordinal() <= other.ordinal() ? this : other;
    }
  }

  public DomainEvidence {
    if (unit == null || unit.isEmpty()) {
      throw new IllegalArgumentException("evidence needs its registrable domain");
    }
    name = name == null ? unit : name;
    if (answer == null) {
      throw new IllegalArgumentException("evidence needs an answer class");
    }
  }

  public boolean hasTime() {
    return timeMillis != DnsRecord.UNKNOWN_TIME;
  }

  /** This entry after one more query for the same unit. */
  DomainEvidence plus(Answer another, long time) {
    long first = !hasTime() ? time : time == DnsRecord.UNKNOWN_TIME ? timeMillis : Math.min(timeMillis, time);
    return new DomainEvidence(unit, owner, name, score, family, answer.merge(another), first,
        queries == Integer.MAX_VALUE ? queries : queries + 1);
  }
}
