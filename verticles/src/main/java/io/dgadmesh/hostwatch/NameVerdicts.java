package io.dgadmesh.hostwatch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.Allowlist;
import io.dgadmesh.hosts.NameEvidence;
import io.dgadmesh.hosts.NameRules;
import io.dgadmesh.hosts.NameScope;
import io.dgadmesh.hosts.NameVerdict;
import io.dgadmesh.model.Prediction;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Verdicts on queried names for the live path: the name rules here, the model through the
 * classifiers on the event bus (so ingest shares their admission control and their allowlist),
 * and a bounded cache, since a DNS stream repeats its names many times over.
 */
final class NameVerdicts {
  /** Names per classify request: the largest request a door sends. */
  private static final int PER_REQUEST = 10_000;
  private static final Logger LOG = Logger.getLogger(NameVerdicts.class.getName());
  /** Models checked: a few per node's life (each reload may bring one), bounded all the same. */
  private static final int MAX_MODELS_SEEN = 16;

  private final EventBus bus;
  private final Allowlist allowlist;
  private final Cache<String, NameVerdict> cache;
  private final Set<String> modelsSeen = new HashSet<>();

  NameVerdicts(EventBus bus, Allowlist allowlist, long cacheSize) {
    this.bus = bus;
    this.allowlist = allowlist;
    this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
  }

  /** A verdict for every query; at most one classify request per {@value #PER_REQUEST} new public names. */
  Future<Map<String, NameVerdict>> judge(Collection<String> queries) {
    Map<String, NameVerdict> out = new HashMap<>(queries.size() * 2);
    List<NameRules.Parsed> toModel = new ArrayList<>();
    for (String q : queries) {
      NameVerdict v = cache.getIfPresent(q);
      if (v != null) {
        out.put(q, v);
        continue;
      }
      NameRules.Parsed p = NameRules.parse(q, allowlist::covers);
      if (p.scope() == NameScope.PUBLIC) {
        toModel.add(p);
      } else {
        v = NameVerdict.unjudged(p);
        cache.put(q, v);
        out.put(q, v);
      }
    }
    Future<Void> all = Future.succeededFuture();
    for (int i = 0; i < toModel.size(); i += PER_REQUEST) {
      List<NameRules.Parsed> part = toModel.subList(i, Math.min(toModel.size(), i + PER_REQUEST));
      all = all.compose(v -> classify(part, out));
    }
    return all.map(v -> out);
  }

  private Future<Void> classify(List<NameRules.Parsed> part, Map<String, NameVerdict> out) {
    List<String> names = new ArrayList<>(part.size());
    part.forEach(p -> names.add(p.name()));
    return Bus.classify(bus, names).map(results -> {
      for (int i = 0; i < part.size(); i++) {
        Bus.Result r = results.get(i);
        NameRules.Parsed p = part.get(i);
        checkCalibrated(r.model());
        NameVerdict v = r.ok()
            ? NameVerdict.judged(p, new Prediction(r.score(), r.isDga(), r.family(), r.familyScore(), -1))
            : NameVerdict.unjudged(p);
        cache.put(p.query(), v);
        out.put(p.query(), v);
      }
      return null;
    });
  }

  /** Host scores stay computable with another model, only less exact: say so once per model. */
  private void checkCalibrated(String model) {
    if (model != null && modelsSeen.size() < MAX_MODELS_SEEN && modelsSeen.add(model)) {
      NameEvidence.approximateFor(model).ifPresent(LOG::warning);
    }
  }
}
