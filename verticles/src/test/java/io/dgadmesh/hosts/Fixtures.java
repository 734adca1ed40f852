package io.dgadmesh.hosts;

import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.model.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Fixed fake verdicts for the aggregation tests: the model is replaced by a function of the name,
 * so a test states exactly what "the model said" and checks only what the host code makes of it.
 */
final class Fixtures {

  static final long T0 = 1_800_000_000_000L;
  static final float DGA_THRESHOLD = 0.9554f;

  private Fixtures() {}

  /** A fake model that scores every name by {@code score}; DGA at the shipped threshold, family "fake". */
  static Function<List<String>, List<Prediction>> model(Function<String, Float> score) {
    return names -> {
      List<Prediction> out = new ArrayList<>(names.size());
      for (String n : names) {
        float s = score.apply(n);
        boolean dga = s >= DGA_THRESHOLD;
        out.add(new Prediction(s, dga, dga ? "fake" : null, 0.5f, 0));
      }
      return out;
    };
  }

  /** A fake model that scores every name the same. */
  static Function<List<String>, List<Prediction>> model(float score) {
    return model(n -> score);
  }

  /** A fake model with fixed scores for some names and {@code otherwise} for the rest. */
  static Function<List<String>, List<Prediction>> model(Map<String, Float> scores, float otherwise) {
    return model(n -> scores.getOrDefault(n, otherwise));
  }

  static NameJudge judge(Function<List<String>, List<Prediction>> model) {
    return new NameJudge(model, n -> false, 10_000);
  }

  static DnsRecord query(long t, String client, String name, String rcode) {
    return new DnsRecord(t, client, name, "A", rcode, List.of());
  }

  /** Adds records to a table with the judge's verdicts. */
  static void feed(HostTable table, NameJudge judge, List<DnsRecord> records) {
    List<String> names = records.stream().map(DnsRecord::query).toList();
    List<NameVerdict> verdicts = judge.judge(names);
    for (int i = 0; i < records.size(); i++) {
      table.add(records.get(i), verdicts.get(i));
    }
  }

  /** An evidence entry with a fixed score, answer and time. */
  static DomainEvidence entry(String unit, float score, DomainEvidence.Answer answer, long t) {
    return new DomainEvidence(unit, null, unit, score, null, answer, t, 1);
  }

  /** A popularity lookup from a fixed map (units not in it were queried by nobody else: 1). */
  static Popularity popularity(Map<String, Integer> hosts) {
    return unit -> hosts.getOrDefault(unit, 1);
  }
}
