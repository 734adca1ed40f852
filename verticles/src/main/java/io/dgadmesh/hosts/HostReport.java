package io.dgadmesh.hosts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dgadmesh.ingest.DnsRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One line of {@code bin/dgad hosts}: a host, its verdict and the evidence behind it, in JSON
 * lines, CSV or text. Distinct counts past {@link HostEvidence#SKETCH_CAPACITY} are estimates.
 *
 * @param firstSeenMillis epoch milliseconds, or UNKNOWN_TIME when the log had no times
 * @param families family to distinct DGA names, most first
 * @param evidence the entries that weigh most, at most {@link #MAX_EVIDENCE}, heaviest first
 */
public record HostReport(String host, boolean infected, double score, long queries, long names,
    long registrableDomains, long dgaNames, long nxdomain, long nxdomainRegistrableDomains,
    Map<String, Integer> families, long firstSeenMillis, long lastSeenMillis, List<Evidence> evidence) {

  public static final int MAX_EVIDENCE = 10;

  /** The CSV header, matching {@link #toCsvLine()}. */
  public static final String CSV_HEADER = "host,infected,score,queries,names,registrable_domains,dga_names,nxdomain,"
      + "nxdomain_registrable_domains,families,first_seen,last_seen,evidence";

  private static final JsonFactory JSON = new JsonFactory();

  /** One weighing name: {@code rcode} is "" when the log had no answer. */
  public record Evidence(String name, float score, String family, String rcode, double weight) {}

  public HostReport {
    families = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(families));
    evidence = List.copyOf(evidence);
  }

  /** The report of a host's state as the score saw it. */
  public static HostReport of(HostState s, HostScore.Result r) {
    List<Map.Entry<String, Integer>> fam = new ArrayList<>(s.families().entrySet());
    fam.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    Map<String, Integer> families = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : fam) {
      families.put(e.getKey(), e.getValue());
    }
    List<Evidence> evidence = new ArrayList<>();
    for (HostScore.Weighed w : r.weighed()) {
      if (evidence.size() == MAX_EVIDENCE || w.weight() <= 0) {
        break;
      }
      DomainEvidence e = w.evidence();
      evidence.add(new Evidence(e.name(), e.score(), e.family(), e.answer().rcode(), w.weight()));
    }
    return new HostReport(s.host(), r.infected(), r.score(), s.queries(), count(s.names()),
        count(s.registrableDomains()), count(s.dgaNames()), s.nxdomain(), count(s.nxdomainRegistrableDomains()),
        families, s.firstSeenMillis(), s.lastSeenMillis(), evidence);
  }

  private static long count(HostState.Sketch s) {
    return DistinctCounter.of(HostEvidence.SKETCH_CAPACITY, s.hashes(), s.saturated()).count();
  }

  /** Highest score first; ties by host, so the order is stable. */
  public static final Comparator<HostReport> RANKING =
      Comparator.comparingDouble(HostReport::score).reversed().thenComparing(HostReport::host);

  public String toJsonLine() {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("host", host);
      g.writeBooleanField("infected", infected);
      g.writeNumberField("score", round(score, 2));
      g.writeNumberField("queries", queries);
      g.writeNumberField("names", names);
      g.writeNumberField("registrable_domains", registrableDomains);
      g.writeNumberField("dga_names", dgaNames);
      g.writeNumberField("nxdomain", nxdomain);
      g.writeNumberField("nxdomain_registrable_domains", nxdomainRegistrableDomains);
      g.writeObjectFieldStart("families");
      for (Map.Entry<String, Integer> e : families.entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      writeTime(g, "first_seen", firstSeenMillis);
      writeTime(g, "last_seen", lastSeenMillis);
      g.writeArrayFieldStart("evidence");
      for (Evidence e : evidence) {
        g.writeStartObject();
        g.writeStringField("name", e.name());
        g.writeNumberField("score", round(e.score(), 4));
        if (e.family() == null) {
          g.writeNullField("family");
        } else {
          g.writeStringField("family", e.family());
        }
        g.writeStringField("rcode", e.rcode());
        g.writeNumberField("weight", round(e.weight(), 2));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void writeTime(JsonGenerator g, String field, long millis) throws IOException {
    if (millis == DnsRecord.UNKNOWN_TIME) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, Instant.ofEpochMilli(millis).toString());
    }
  }

  public String toCsvLine() {
    StringBuilder fam = new StringBuilder();
    for (Map.Entry<String, Integer> e : families.entrySet()) {
      fam.append(fam.length() == 0 ? "" : ";").append(e.getKey()).append(':').append(e.getValue());
    }
    StringBuilder ev = new StringBuilder();
    for (Evidence e : evidence) {
      ev.append(ev.length() == 0 ? "" : ";").append(e.name()).append(' ')
          .append(String.format(Locale.ROOT, "%.4f", e.score()))
          .append(' ').append(e.family() == null ? "-" : e.family())
          .append(' ').append(e.rcode().isEmpty() ? "-" : e.rcode());
    }
    return String.join(",", csv(host), Boolean.toString(infected), String.format(Locale.ROOT, "%.2f", score),
        Long.toString(queries), Long.toString(names), Long.toString(registrableDomains), Long.toString(dgaNames),
        Long.toString(nxdomain), Long.toString(nxdomainRegistrableDomains), csv(fam.toString()),
        time(firstSeenMillis), time(lastSeenMillis), csv(ev.toString()));
  }

  /** One human-readable line, tab-separated. */
  public String toTxtLine() {
    StringBuilder b = new StringBuilder();
    b.append(oneField(host)).append('\t').append(infected ? "INFECTED" : "ok")
        .append(String.format(Locale.ROOT, "\tscore %.2f\tqueries %d\tnames %d\tdomains %d\tdga %d\tnxdomain %d (%d domains)",
            score, queries, names, registrableDomains, dgaNames, nxdomain, nxdomainRegistrableDomains));
    if (!families.isEmpty()) {
      b.append("\tfamilies ");
      families.forEach((k, v) -> b.append(k).append(':').append(v).append(' '));
      b.setLength(b.length() - 1);
    }
    b.append('\t').append(time(firstSeenMillis)).append(" .. ").append(time(lastSeenMillis));
    if (!evidence.isEmpty()) {
      b.append("\tevidence");
      for (Evidence e : evidence) {
        b.append(' ').append(e.name()).append(e.rcode().equals(DnsRecord.NXDOMAIN) ? "(NX)" : "");
      }
    }
    return b.toString();
  }

  private static String time(long millis) {
    return millis == DnsRecord.UNKNOWN_TIME ? "" : Instant.ofEpochMilli(millis).toString();
  }

  private static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }

  /**
   * One CSV cell; a cell that starts like a formula gets a leading {@code '} so a spreadsheet shows
   * a hostile host field as text (the same rule as the classify command's CSV).
   */
  static String csv(String s) {
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /** Control characters escaped, so a hostile host field stays one field on one line. */
  static String oneField(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        b.append(c == '\\' ? "\\\\" : String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
