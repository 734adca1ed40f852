package io.dgadmesh.bench.fuzz;

import io.dgadmesh.cli.ClassifyCommand;
import io.dgadmesh.model.HostnameNormalizer;
import io.dgadmesh.redis.RedisStore;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Redis door (SADD, then what it stored) and {@code dgad classify} reading a file of the inputs. */
final class RedisAndCliDoors {
  private RedisAndCliDoors() {}

  static DoorTally redis(RedisStore store, String nodeId, List<String> inputs) throws Exception {
    DoorTally t = new DoorTally("Redis door (SADD " + store.todoSet() + ")");
    for (List<String> chunk : Chunks.of(inputs, 1000)) {
      t.sent(chunk.size());
      Chunks.get(store.enqueue(store.todoSet(), chunk), 60_000);
    }
    long deadline = System.currentTimeMillis() + 300_000;
    RedisStore.Backlog b;
    do {
      Thread.sleep(100); // waiting on another process's work, read through Redis
      b = Chunks.get(store.backlog(List.of(nodeId)), 10_000);
    } while ((b.queueDepth() > 0 || b.inFlight() > 0) && System.currentTimeMillis() < deadline);
    Window w = new Window(32);
    for (String in : inputs) {
      HostnameNormalizer.Result norm = HostnameNormalizer.normalize(in);
      List<String> keys = norm.ok() && !norm.host().equals(in) ? List.of(in, norm.host()) : List.of(in);
      w.send(() -> store.storedResult(keys).compose(found -> found != null
          ? io.vertx.core.Future.succeededFuture(found)
          : store.invalidReason(in).map(reason -> reason == null ? null : new JsonObject().put("error", reason)))
          .onComplete(ar -> {
            if (ar.failed()) {
              t.fail(in, "lookup failed: " + ar.cause());
            } else if (ar.result() == null) {
              t.fail(in, "never answered (neither a verdict nor a reason in Redis)");
            } else if (ar.result().getString("error") != null) {
              t.refusal(in, ar.result().getString("error"));
            } else {
              t.verdict(in);
            }
          }));
    }
    w.drain(300_000);
    return t;
  }

  /**
   * {@code dgad classify -f -} with the inputs one per line, against the node's gRPC port. Inputs
   * with a line break or only blanks are not lines of such a file, so they are left out.
   */
  static DoorTally cli(JsonObject conf, int grpcPort, List<String> inputs) throws Exception {
    DoorTally t = new DoorTally("dgad classify -f (a file of the inputs)");
    List<String> lines = new ArrayList<>();
    for (String in : inputs) {
      if (in.indexOf('\n') < 0 && in.indexOf('\r') < 0 && !in.isBlank()) {
        lines.add(in);
      }
    }
    t.sent(lines.size());
    // A real file, written line by line: one joined string of 100,000 inputs (10 MB ones among
    // them) would cost this harness more heap than the node it shares the JVM with.
    Path file = Files.createTempFile("dgad-fuzz", ".txt");
    int code;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (String line : lines) {
          w.write(line);
          w.write('\n');
        }
      }
      code = ClassifyCommand.run(new String[] {"-f", file.toString(), "--remote", "127.0.0.1:" + grpcPort}, conf,
          InputStream.nullInputStream(), out, new PrintStream(err, true, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(file);
    }
    String[] answers = out.toString(StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < lines.size(); i++) {
      if (code != 0 || i >= answers.length) {
        t.fail(lines.get(i), "no output line (exit " + code + ": " + err.toString(StandardCharsets.UTF_8).strip() + ")");
        continue;
      }
      JsonObject r = new JsonObject(answers[i]);
      if (r.getString("error") != null) {
        t.refusal(lines.get(i), r.getString("error"));
      } else {
        t.verdict(lines.get(i));
      }
    }
    return t;
  }
}
