package io.dgadmesh.bench.soak;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The soak's calls to the HTTP API: {@code POST /api/classify}, and batch jobs, each submitted,
 * followed until done and its results read back and compared with what was sent. A job accepted
 * (201) belongs to the soak until its results came back right: {@link #jobsNotDone} after the
 * end are jobs the node lost.
 */
final class HttpCalls {
  private static final long POLL_MS = 250;
  private final Vertx vertx;
  private final HttpClient http;
  private final int port;
  private final Set<String> jobsOpen = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Status, Retry-After (seconds, 0 when none) and body of an answer. */
  record Answer(int status, long retryAfter, Buffer body) {
    JsonObject json() {
      try {
        return body.toJsonObject();
      } catch (RuntimeException notAnObject) {
        return null;
      }
    }

    String shown() {
      String s = body.toString(StandardCharsets.UTF_8);
      return "HTTP " + status + " " + (s.length() > 150 ? s.substring(0, 150) + "..." : s);
    }
  }

  HttpCalls(Vertx vertx, int port) {
    this.vertx = vertx;
    this.http = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(32));
    this.port = port;
  }

  Future<Answer> call(HttpMethod method, String uri, String contentType, Buffer body, long timeoutMs) {
    RequestOptions o = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri)
        .setConnectTimeout(2_000).setIdleTimeout(timeoutMs);
    if (contentType != null) {
      o.putHeader("content-type", contentType);
    }
    return http.request(o).compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), retryAfter(resp.getHeader("retry-after")), b)));
  }

  private static long retryAfter(String header) {
    try {
      return header == null ? 0 : Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException notSeconds) {
      return 0;
    }
  }

  static Buffer classifyBody(List<String> names) {
    return new JsonObject().put("domains", new JsonArray(new ArrayList<>(names))).toBuffer();
  }

  Pacer.Call classifyLoad() {
    return seq -> {
      List<String> names = SoakNames.pooled(seq, Door.CLASSIFY.namesPerCall);
      return call(HttpMethod.POST, "/api/classify", "application/json", classifyBody(names), Door.CLASSIFY.timeoutMs)
          .compose(a -> {
            JsonArray results = a.status() == 200 && a.json() != null ? a.json().getJsonArray("results") : null;
            if (results == null || results.size() != names.size()) {
              return Future.failedFuture(a.shown());
            }
            for (int i = 0; i < names.size(); i++) {
              JsonObject r = results.getJsonObject(i);
              if (!names.get(i).equals(r.getString("domain")) || !(r.getValue("is_dga") instanceof Boolean)) {
                return Future.failedFuture("result " + i + " is not a verdict for " + names.get(i) + ": " + r);
              }
            }
            return Future.succeededFuture(names.size());
          });
    };
  }

  /**
   * A job of pooled names: submitted (again after Retry-After when the node has as many uploads as
   * it takes at once, as a client does), followed until done, its results compared with the names.
   */
  Pacer.Call jobsLoad() {
    return seq -> {
      List<String> names = SoakNames.pooled(seq, Door.JOBS.namesPerCall);
      Promise<Integer> done = Promise.promise();
      submit(names, Buffer.buffer(String.join("\n", names) + "\n"), done);
      return done.future();
    };
  }

  private void submit(List<String> names, Buffer body, Promise<Integer> done) {
    call(HttpMethod.POST, "/api/jobs", "text/plain", body, Door.CLASSIFY.timeoutMs).onComplete(ar -> {
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      Answer a = ar.result();
      if (a.status() == 503 && a.retryAfter() > 0 && !done.future().isComplete()) {
        vertx.setTimer(a.retryAfter() * 1000, t -> submit(names, body, done));
        return;
      }
      String id = a.status() == 201 && a.json() != null ? a.json().getString("id") : null;
      if (id == null) {
        done.tryFail("submit: " + a.shown());
        return;
      }
      jobsOpen.add(id);
      follow(id, names, done);
    });
  }

  /** Polls the job until it is done, then checks its results; a failed poll (a restart) is polled again. */
  private void follow(String id, List<String> names, Promise<Integer> done) {
    if (closed) {
      done.tryFail("job " + id + " not done when the soak ended");
      return;
    }
    call(HttpMethod.GET, "/api/jobs/" + id, null, null, 10_000).onComplete(ar -> {
      JsonObject s = ar.succeeded() && ar.result().status() == 200 ? ar.result().json() : null;
      if (s == null || !"done".equals(s.getString("status"))) {
        if (ar.succeeded() && ar.result().status() == 404) {
          done.tryFail("job " + id + " is gone: " + ar.result().shown());
          return;
        }
        vertx.setTimer(POLL_MS, t -> follow(id, names, done));
        return;
      }
      call(HttpMethod.GET, "/api/jobs/" + id + "/results?format=jsonl", null, null, 30_000).onComplete(res -> {
        if (res.failed() || res.result().status() != 200) {
          vertx.setTimer(POLL_MS, t -> follow(id, names, done)); // read again, as a client would
          return;
        }
        String wrong = compare(names, res.result().body().toString(StandardCharsets.UTF_8));
        jobsOpen.remove(id);
        if (wrong == null) {
          done.tryComplete(names.size());
        } else {
          done.tryFail("job " + id + ": " + wrong);
        }
      });
    });
  }

  /** Null when the results are one verdict per name, in order; else what differs. */
  private static String compare(List<String> names, String jsonl) {
    String[] lines = jsonl.split("\n");
    if (lines.length != names.size()) {
      return lines.length + " result lines for " + names.size() + " names";
    }
    for (int i = 0; i < lines.length; i++) {
      JsonObject r = new JsonObject(lines[i]);
      if (!names.get(i).equals(r.getString("domain")) || !(r.getValue("is_dga") instanceof Boolean)) {
        return "line " + (i + 1) + " is not a verdict for " + names.get(i) + ": " + lines[i];
      }
    }
    return null;
  }

  /** Jobs accepted whose results have not come back (right or wrong). */
  Set<String> jobsNotDone() {
    return Set.copyOf(jobsOpen);
  }

  Future<Void> close() {
    closed = true;
    return http.close();
  }
}
