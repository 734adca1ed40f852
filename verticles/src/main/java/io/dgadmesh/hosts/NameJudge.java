package io.dgadmesh.hosts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dgadmesh.model.Prediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns queried names into {@link NameVerdict}s: the name rules first, then one model call for
 * the {@link NameScope#PUBLIC} names not seen before. A log repeats its names many times over, so
 * verdicts are cached (bounded, Caffeine); names of other scopes never reach the model. Blocking
 * when the model is: call it from a worker thread.
 */
public final class NameJudge {

  private final Function<List<String>, List<Prediction>> model;
  private final Predicate<String> allowlisted;
  private final Cache<String, NameVerdict> cache;
  private long modelCalls;
  private long namesToModel;

  /**
   * @param model classifies normalised names in order, e.g. {@code DgaModel::classify}
   * @param allowlisted true for a normalised name the operator's allowlist covers
   * @param cacheSize verdicts kept (least recently and frequently used go first)
   */
  public NameJudge(Function<List<String>, List<Prediction>> model, Predicate<String> allowlisted, long cacheSize) {
    this.model = model;
    this.allowlisted = allowlisted;
    this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
  }

  public NameVerdict judge(String query) {
    return judge(List.of(query)).get(0);
  }

  /** Verdicts for the queries, in order; one model call covers every new public name among them. */
  public List<NameVerdict> judge(List<String> queries) {
    NameVerdict[] out = new NameVerdict[queries.size()];
    Set<String> missing = null;
    for (int i = 0; i < out.length; i++) {
      String q = queries.get(i) == null ? "" : queries.get(i);
      out[i] = cache.getIfPresent(q);
      if (out[i] == null) {
        if (missing == null) {
          missing = new LinkedHashSet<>();
        }
        missing.add(q);
      }
    }
    if (missing != null) {
      Map<String, NameVerdict> fresh = judgeNew(missing);
      cache.putAll(fresh);
      for (int i = 0; i < out.length; i++) {
        if (out[i] == null) {
          out[i] = fresh.get(queries.get(i) == null ? "" : queries.get(i));
        }
      }
    }
    return Arrays.asList(out);
  }

  private Map<String, NameVerdict> judgeNew(Set<? extends String> queries) {
    Map<String, NameVerdict> out = new HashMap<>(queries.size() * 2);
    List<NameRules.Parsed> toModel = new ArrayList<>();
    for (String q : queries) {
      NameRules.Parsed p = NameRules.parse(q, allowlisted);
      if (p.scope() == NameScope.PUBLIC) {
        toModel.add(p);
      } else {
        out.put(q, NameVerdict.unjudged(p));
      }
    }
    if (!toModel.isEmpty()) {
      // Spellings of one name ("A.Example.com.", "a.example.com") go to the model once.
      Map<String, Integer> row = new LinkedHashMap<>();
      for (NameRules.Parsed p : toModel) {
        row.putIfAbsent(p.name(), row.size());
      }
      List<String> names = new ArrayList<>(row.keySet());
      List<Prediction> predictions = model.apply(names);
      if (predictions.size() != names.size()) {
        throw new IllegalStateException("the model answered " + predictions.size() + " of " + names.size() + " names");
      }
      modelCalls++;
      namesToModel += names.size();
      for (NameRules.Parsed p : toModel) {
        out.put(p.query(), NameVerdict.judged(p, predictions.get(row.get(p.name()))));
      }
    }
    return out;
  }

  public long modelCalls() {
    return modelCalls;
  }

  /** Names sent to the model so far (each distinct public name once, while it stays cached). */
  public long namesToModel() {
    return namesToModel;
  }
}
