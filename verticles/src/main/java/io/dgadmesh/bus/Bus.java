package io.dgadmesh.bus;

import io.dgadmesh.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/**
 * Every event-bus address of a node and the JSON shape of every message on it. JSON (not a
 * local codec) so the same messages can cross a clustered event bus unchanged.
 *
 * <pre>
 * dgad.classify  request {"names": ["a.com", ...], "quiet": [i, ...]}, header dgad-timeout-ms
 *                        (TIMEOUT_HEADER): how long the caller waits for the reply. "quiet" (optional):
 *                        indexes of names nobody looked up, asked only to answer another name (dgad
 *                        4.x's words); answered like the rest, but not counted in the classified
 *                        metrics nor published on dgad.results
 *                reply   {"results": [Result.toJson(), ...]}   one per name, same order; each judged
 *                        one names the model ("model") and the operating point ("point") that judged it
 *                failure ReplyException BAD_REQUEST (no names array), MODEL_FAILED, OVERLOADED
 *                (the classifier's queue is full: the caller should answer RESOURCE_EXHAUSTED / 503),
 *                STOPPING (the instance is stopping: send again, another classifier answers) or
 *                EXPIRED (the caller's time ran out before the model ran it; nobody waits for it)
 * dgad.info      request {}
 *                reply   {"model_version": s, "threshold": f, "point": s, "points": {name: f, ...},
 *                         "families": [s...],
 *                         "batches": n, "batched_names": n, "expired_names": n, "refused_names": n}
 *                        (counters of the instance that answered; batches = model calls; model_version
 *                        as in results: ModelVersion.id(), "declared@sha256-prefix"; threshold is the
 *                        one that judges, point its name as in results, points the model's own named
 *                        thresholds, classifier.operatingPoint picks one)
 * dgad.model.reload  (node-local: local consumer, localOnly sends) request {}
 *                reply   {"node": s, "model_version": s (now served), "point": s (the operating point
 *                         that judges), "replaced": [s...] (versions the instances served before),
 *                         "classifiers": n (instances swapped)}
 *                failure BAD_MODEL (the file did not load, failed its probe, lacks the configured
 *                        operating point or was trained with another suffix list: the old model keeps
 *                        serving), RELOADING (a reload of this node is under way), STOPPING
 * dgad.redis.status  request {}
 *                reply   {"node": s, "outages": n, "written": n, "invalid": n, "redis_up": b,
 *                         "classify_retries": n}
 *
 * The mesh (clustered event bus; every message JSON):
 * dgad.results   publish {"node": id, "results": [Result...]}   every batch a classifier answers
 * dgad.stats     publish, by the leader, every second:
 *                {"time": epochMs, "leader": nodeId,
 *                 "nodes": [NodeInfo...],
 *                 "total": {"classified", "dga", "dga_share", "throughput", "families": {f: n}},
 *                 "queue_depth": n, "in_flight": n}
 *                NodeInfo (also the value of the node registry, shared map "dgad.nodes", key id):
 *                {"id", "name", "roles": [...], "started": epochMs, "version", "member": hazelcastUuid,
 *                 "classified": n, "dga": n, "throughput": namesPerSec, "families": {f: n},
 *                 "updated": epochMs, "restarts": n, "classify_retries": n,
 *                 "model": s (the model version its classifiers serve, several joined by ", " while
 *                 they switch; "" on a node without classifiers),
 *                 "point": s (the operating point its classifiers judge at; "" without classifiers)}
 * dgad.job.task.&lt;nodeId&gt;  request (leader to a worker node) {"job", "task": i, "token"}
 *                reply {} once accepted; the outcome goes to Redis (see redis.JobStore)
 * dgad.job.report publish (worker) {"job", "task", "node", "ok": b}: the leader re-plans at once
 * </pre>
 */
public final class Bus {

  public static final String CLASSIFY = "dgad.classify";
  public static final String INFO = "dgad.info";
  /**
   * Node-local: reload this node's model from classifier.modelPath (the file may have changed).
   * Only the node that gets the request reloads; a cluster is updated node by node.
   */
  public static final String MODEL_RELOAD = "dgad.model.reload";
  public static final String REDIS_STATUS = "dgad.redis.status";
  /** Published: every answered classify batch ({@link #resultsEvent}). */
  public static final String RESULTS_PUBLISH = "dgad.results";
  public static final String STATS = "dgad.stats";
  public static final String JOB_TASK_PREFIX = "dgad.job.task.";
  public static final String JOB_REPORT = "dgad.job.report";
  /** Shared map (cluster-wide when clustered) holding one NodeInfo per live node. */
  public static final String NODE_REGISTRY = "dgad.nodes";

  public static String jobTaskAddress(String nodeId) {
    return JOB_TASK_PREFIX + nodeId;
  }

  public static final String NAMES = "names";
  public static final String QUIET = "quiet";
  public static final String RESULTS = "results";
  public static final String MODEL_VERSION = "model_version";
  /** Of a result: the version of the model that judged the name. */
  public static final String MODEL = "model";
  /**
   * Of a result, dgad.info and a reload's reply: the name of the operating point that judged
   * (DgaModel.OperatingPoint: one of the model's, "strict", "balanced", or "threshold" when the
   * operator set classifier.threshold). A score means little without the threshold it was held to.
   */
  public static final String POINT = "point";
  /** Of dgad.info: the model's named thresholds, {name: threshold}. */
  public static final String POINTS = "points";
  public static final String REPLACED = "replaced";
  public static final String CLASSIFIERS = "classifiers";
  public static final String THRESHOLD = "threshold";
  public static final String FAMILIES = "families";
  public static final String BATCHES = "batches";
  public static final String BATCHED_NAMES = "batched_names";
  /** Names dropped unclassified because their caller's time had run out. */
  public static final String EXPIRED_NAMES = "expired_names";
  /** Names refused with {@link #OVERLOADED}. */
  public static final String REFUSED_NAMES = "refused_names";
  public static final String NODE = "node";

  /** ReplyException failure codes. */
  public static final int BAD_REQUEST = 400;
  public static final int MODEL_FAILED = 500;
  /** The classifier refused the request: its queue of names is at its limit. Not retried at once. */
  public static final int OVERLOADED = 503;
  /** The classifier instance is stopping (or being replaced) and did not run the request: send it again. */
  public static final int STOPPING = 502;
  /** The caller's time ran out while the request waited: dropped without running the model. */
  public static final int EXPIRED = 504;
  /** {@link #MODEL_RELOAD}: the new model file did not load or failed its probe; the old one serves on. */
  public static final int BAD_MODEL = 422;
  /** {@link #MODEL_RELOAD}: another reload of this node is under way. */
  public static final int RELOADING = 409;

  /**
   * Header of a {@link #CLASSIFY} request: the caller's reply timeout in milliseconds. Relative, as
   * gRPC's grpc-timeout is, so node clocks need not agree: the classifier counts it from when the
   * request reaches it and drops the request unrun once it has passed (the caller has given up).
   */
  public static final String TIMEOUT_HEADER = "dgad-timeout-ms";

  /** Long enough for a big batch on a loaded machine; short enough that a lost reply is retried. */
  public static final long DEFAULT_TIMEOUT_MS = 30_000;

  private Bus() {}

  /**
   * One name's outcome. Valid: {domain, is_dga, score, family, family_score, model, point}
   * ({@code family} null unless DGA; {@code model} the version of the model that judged it,
   * ModelVersion.id(); {@code point} the operating point whose threshold made is_dga, {@link #POINT}),
   * plus {@code allowlisted: true} for a name the allowlist covers. Invalid: {domain, error} where
   * domain is the input as given, cut to a prefix when long ({@link ShownName}); no model judged it.
   */
  public record Result(String domain, boolean isDga, float score, String family, float familyScore,
                       String error, boolean allowlisted, String model, String point) {

    public Result(String domain, boolean isDga, float score, String family, float familyScore, String error) {
      this(domain, isDga, score, family, familyScore, error, false, null, null);
    }

    /** A verdict of the model {@code model} at its operating point {@code point}. */
    public static Result judged(String domain, boolean isDga, float score, String family, float familyScore,
                                String model, String point) {
      return new Result(domain, isDga, score, family, familyScore, null, false, model, point);
    }

    /**
     * The result of a name the allowlist covers: the model's score is kept for the analyst, but
     * the verdict is "ok" and there is no family.
     */
    public static Result allowlisted(String domain, float score, String model, String point) {
      return new Result(domain, false, score, null, 0f, null, true, model, point);
    }

    /**
     * The result of a refused input, for every door: the input and the reason are kept as
     * {@link ShownName}s, so a refused name of megabytes is never kept, published or logged whole.
     */
    public static Result invalid(String input, String reason) {
      return new Result(ShownName.of(input), false, 0f, null, 0f, ShownName.of(reason));
    }

    public boolean ok() {
      return error == null;
    }

    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("domain", domain);
      if (error != null) {
        return j.put("error", error);
      }
      j.put("is_dga", isDga).put("score", score).put("family", family).put("family_score", familyScore);
      if (model != null) {
        j.put(MODEL, model);
      }
      if (point != null) {
        j.put(POINT, point);
      }
      // Only when set: results stay as dgad's clients know them for every other name.
      return allowlisted ? j.put("allowlisted", true) : j;
    }

    public static Result fromJson(JsonObject j) {
      String error = j.getString("error");
      if (error != null) {
        return invalid(j.getString("domain"), error);
      }
      return new Result(j.getString("domain"), j.getBoolean("is_dga", false),
          j.getFloat("score", 0f), j.getString("family"), j.getFloat("family_score", 0f), null,
          j.getBoolean("allowlisted", false), j.getString(MODEL), j.getString(POINT));
    }
  }

  public static JsonObject classifyRequest(List<String> names) {
    return new JsonObject().put(NAMES, new JsonArray(new ArrayList<>(names)));
  }

  /**
   * A name a door asks the classifiers about: {@code quiet} when nobody looked it up, and it is
   * asked only to answer another name (a dgad 4.x word); see {@link #QUIET}.
   */
  public record Asked(String name, boolean quiet) {
    public static List<Asked> loud(List<String> names) {
      List<Asked> out = new ArrayList<>(names.size());
      names.forEach(n -> out.add(new Asked(n, false)));
      return out;
    }
  }

  public static JsonObject askRequest(Collection<Asked> asked) {
    JsonArray names = new JsonArray(new ArrayList<>(asked.size()));
    JsonArray quiet = new JsonArray();
    for (Asked a : asked) {
      if (a.quiet()) {
        quiet.add(names.size());
      }
      names.add(a.name());
    }
    JsonObject request = new JsonObject().put(NAMES, names);
    return quiet.isEmpty() ? request : request.put(QUIET, quiet);
  }

  /** Which names of a classify request are quiet (none when it has no valid "quiet" array). */
  public static BitSet quiet(JsonObject request, int names) {
    BitSet out = new BitSet(names);
    if (request != null && request.getValue(QUIET) instanceof JsonArray q) {
      for (Object i : q) {
        if (i instanceof Integer k && k >= 0 && k < names) {
          out.set(k);
        }
      }
    }
    return out;
  }

  public static JsonObject classifyReply(List<Result> results) {
    JsonArray a = new JsonArray(new ArrayList<>(results.size()));
    for (Result r : results) {
      a.add(r.toJson());
    }
    return new JsonObject().put(RESULTS, a);
  }

  public static List<Result> results(JsonObject reply) {
    JsonArray a = reply.getJsonArray(RESULTS);
    List<Result> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(Result.fromJson(a.getJsonObject(i)));
    }
    return out;
  }

  /**
   * One result per input name, in input order, when some names were answered without the
   * classifiers (a door refusing what cannot be a host name): {@code given} holds those answers
   * and null for every other name, {@code classified} the classifiers' results for the others.
   */
  public static <T> List<T> inInputOrder(List<T> given, List<? extends T> classified) {
    List<T> out = new ArrayList<>(given.size());
    int next = 0;
    for (T answer : given) {
      out.add(answer != null ? answer : classified.get(next++));
    }
    return out;
  }

  /** The {@link #RESULTS_PUBLISH} message: a node id and the results of one answered batch. */
  public static JsonObject resultsEvent(String node, JsonArray results) {
    return new JsonObject().put(NODE, node).put(RESULTS, results);
  }

  /** Classifies names through whichever classifier instance the event bus picks. */
  public static Future<List<Result>> classify(EventBus bus, List<String> names) {
    return classify(bus, CLASSIFY, names, DEFAULT_TIMEOUT_MS);
  }

  /** The same, for names some of which are quiet ({@link Asked}). */
  public static Future<List<Result>> classifyAsked(EventBus bus, List<Asked> asked) {
    return request(bus, CLASSIFY, askRequest(asked), DEFAULT_TIMEOUT_MS);
  }

  public static Future<List<Result>> classify(EventBus bus, String address, List<String> names,
                                              long timeoutMs) {
    return request(bus, address, classifyRequest(names), timeoutMs);
  }

  private static Future<List<Result>> request(EventBus bus, String address, JsonObject request, long timeoutMs) {
    long t0 = System.nanoTime();
    return bus.<JsonObject>request(address, request,
            new DeliveryOptions().setSendTimeout(timeoutMs).addHeader(TIMEOUT_HEADER, Long.toString(timeoutMs)))
        .andThen(ar -> NodeMetrics.busRequest(address, System.nanoTime() - t0, ar.succeeded()))
        .map(msg -> results(msg.body()));
  }

  public static Future<JsonObject> info(EventBus bus) {
    return bus.<JsonObject>request(INFO, new JsonObject()).map(m -> m.body());
  }

  /**
   * How long a reload may take: reading the file and opening a session per classifier instance
   * (a fraction of a second each for the shipped model) on a busy machine. Below the web role's
   * idle timeout (60 s by default), so an HTTP caller gets the answer.
   */
  public static final long RELOAD_TIMEOUT_MS = 30_000;

  /** Reloads this node's model ({@link #MODEL_RELOAD}); never another node's. */
  public static Future<JsonObject> reloadModel(EventBus bus) {
    return bus.<JsonObject>request(MODEL_RELOAD, new JsonObject(),
        new DeliveryOptions().setLocalOnly(true).setSendTimeout(RELOAD_TIMEOUT_MS)).map(m -> m.body());
  }
}
