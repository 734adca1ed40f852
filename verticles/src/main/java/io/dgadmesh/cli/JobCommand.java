package io.dgadmesh.cli;

import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.bus.ResultFormat;
import io.dgadmesh.redis.JobStore;
import io.dgadmesh.redis.RedisStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code dgad job submit|status|results|list}. With --remote HOST:PORT it talks to the HTTP API of
 * a node with the web role; without, straight to the configured Redis (where jobs live; the
 * cluster's leader picks a submitted job up from there). status --wait (and submit --wait)
 * draws a progress bar on stderr until the job is done.
 */
public final class JobCommand {

  private final HostPort remote;
  private final JsonObject conf;
  private final PrintStream out;
  private final PrintStream err;

  /** Without {@code remote}, straight to the configured Redis. */
  public JobCommand(HostPort remote, JsonObject conf, PrintStream out, PrintStream err) {
    this.remote = remote;
    this.conf = conf;
    this.out = out;
    this.err = err;
  }

  int submit(String file, boolean wait) throws Exception {
    return withBackend(b -> {
      JsonObject r = b.submit(read(file));
      out.println(r.encode());
      out.flush();
      return wait ? waitFor(b, r.getString("id")) : 0;
    });
  }

  int status(String id, boolean wait) throws Exception {
    return withBackend(b -> {
      if (wait) {
        return waitFor(b, id);
      }
      JsonObject s = b.status(id);
      if (s == null) {
        err.println("dgad: no job " + id);
        return 1;
      }
      out.println(s.encode());
      bar(s, true);
      return 0;
    });
  }

  int results(String id, String format) throws Exception {
    if (!format.equals("jsonl") && !format.equals("csv")) {
      throw new IllegalArgumentException("--format must be jsonl or csv, not '" + format + "'");
    }
    return withBackend(b -> b.results(id, format, out) ? 0 : 1);
  }

  int list() throws Exception {
    return withBackend(b -> {
      out.println(b.list().encodePrettily());
      return 0;
    });
  }

  private interface BackendCall {
    int run(Backend b) throws Exception;
  }

  private int withBackend(BackendCall call) throws Exception {
    Backend b = remote == null ? new RedisBackend(conf) : new HttpBackend(WebDoor.of(NodeSettings.read(conf), remote));
    try {
      return call.run(b);
    } finally {
      b.close();
    }
  }

  private int waitFor(Backend b, String id) throws Exception {
    long poll = 250;
    while (true) {
      JsonObject s = b.status(id);
      if (s == null) {
        err.println("dgad: no job " + id);
        return 1;
      }
      boolean end = s.getString("status").equals("done") || s.getString("status").equals("failed");
      bar(s, end);
      if (end) {
        out.println(s.encode());
        return s.getString("status").equals("done") ? 0 : 1;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(poll)); // polling interval of a CLI progress bar
    }
  }

  /** [#####.....]  45%  45,000/100,000 names  tasks 45/100 (3 running)  running */
  void bar(JsonObject s, boolean end) {
    long total = s.getLong("total");
    long done = s.getLong("done");
    int pct = total == 0 ? 100 : (int) (done * 100 / total);
    int width = 30;
    int filled = pct * width / 100;
    JsonObject t = s.getJsonObject("tasks");
    err.printf("\r[%s%s] %3d%%  %,d/%,d names  tasks %d/%d (%d running)  %s   ", "#".repeat(filled),
        ".".repeat(width - filled), pct, done, total, t.getLong("done"), t.getLong("total"), t.getLong("running"),
        s.getString("status"));
    if (end) {
      err.println();
    }
    err.flush();
  }

  static List<String> read(String file) throws IOException {
    InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file));
    List<String> names = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          names.add(line.strip());
        }
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no names in " + file);
    }
    return names;
  }

  interface Backend extends AutoCloseable {
    JsonObject submit(List<String> names) throws Exception;

    JsonObject status(String id) throws Exception;

    JsonArray list() throws Exception;

    boolean results(String id, String format, OutputStream out) throws Exception;

    @Override
    void close();
  }

  static final class RedisBackend implements Backend {
    private final Vertx vertx = Vertx.vertx();
    private final JobStore jobs;

    RedisBackend(JsonObject conf) {
      jobs = RedisStore.create(vertx, NodeSettings.of(conf).redis(), RedisStore.Pool.DEFAULT).jobs();
    }

    @Override
    public JsonObject submit(List<String> names) throws Exception {
      return jobs.submit(names).await(60, TimeUnit.SECONDS);
    }

    @Override
    public JsonObject status(String id) throws Exception {
      return jobs.status(id).await(30, TimeUnit.SECONDS);
    }

    @Override
    public JsonArray list() throws Exception {
      return new JsonArray(new ArrayList<>(jobs.list(100).await(30, TimeUnit.SECONDS)));
    }

    @Override
    public boolean results(String id, String format, OutputStream out) throws Exception {
      JsonObject s = status(id);
      if (s == null) {
        return false;
      }
      if (format.equals("csv")) {
        out.write((ResultFormat.CSV_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
      }
      long tasks = s.getJsonObject("tasks").getLong("total");
      for (int t = 0; t < tasks; t++) {
        String lines = jobs.taskResults(id, t).await(30, TimeUnit.SECONDS);
        if (lines != null) {
          out.write((format.equals("csv") ? ResultFormat.csvOfJsonLines(lines) : lines).getBytes(StandardCharsets.UTF_8));
        }
      }
      out.flush();
      return true;
    }

    @Override
    public void close() {
      vertx.close().await();
    }
  }

  /** The HTTP API of a node with the web role, over TLS and with the web token as configured ({@link WebDoor}). */
  static final class HttpBackend implements Backend {
    private final WebDoor door;

    HttpBackend(WebDoor door) {
      this.door = door;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return door.http().send(door.request("/api" + path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public JsonObject submit(List<String> names) throws Exception {
      HttpResponse<String> r = door.http().send(door.request("/api/jobs")
          .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(String.join("\n", names)))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IOException("submit failed: HTTP " + r.statusCode() + " " + r.body());
      }
      return new JsonObject(r.body());
    }

    @Override
    public JsonObject status(String id) throws Exception {
      HttpResponse<String> r = get("/jobs/" + id);
      if (r.statusCode() == 404) {
        return null;
      }
      if (r.statusCode() != 200) {
        throw new IOException("status failed: HTTP " + r.statusCode() + " " + r.body());
      }
      return new JsonObject(r.body());
    }

    @Override
    public JsonArray list() throws Exception {
      HttpResponse<String> r = get("/jobs");
      if (r.statusCode() != 200) {
        throw new IOException("list failed: HTTP " + r.statusCode() + " " + r.body());
      }
      return new JsonArray(r.body());
    }

    @Override
    public boolean results(String id, String format, OutputStream out) throws Exception {
      HttpResponse<InputStream> r = door.http().send(door.request("/api/jobs/" + id + "/results?format=" + format)
          .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        return false;
      }
      try (InputStream in = r.body()) {
        in.transferTo(out);
      }
      out.flush();
      return true;
    }

    @Override
    public void close() {
    }
  }
}
