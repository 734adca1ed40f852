package io.dgadmesh.bench.fuzz;

import io.dgadmesh.bench.PrivateNodePorts;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.node.Node;
import io.dgadmesh.node.PrivateRedis;
import io.dgadmesh.redis.RedisStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/dgad bench --fuzz N}: N hostile inputs through every door of a node with every role
 * (its own redis-server, free ports). Prints what each door answered; any failure makes the run
 * fail. What a client's encoder does to an input (a lone surrogate becomes '?') is done first,
 * because that is what reaches a door.
 */
public final class Fuzz {
  private Fuzz() {}

  private interface Door {
    DoorTally run() throws Exception;
  }

  /** The doors' tallies; the node and its Redis are gone when this returns. */
  public static List<DoorTally> run(JsonObject conf, int n, int huge, long seed) throws Exception {
    return run(conf, n, huge, seed, List.of());
  }

  /** As {@link #run(JsonObject, int, int, long)}, through the named doors only (all when empty). */
  public static List<DoorTally> run(JsonObject conf, int n, int huge, long seed, List<String> doors) throws Exception {
    List<String> inputs = new ArrayList<>();
    for (String s : HostileInputs.generate(n, huge, seed)) {
      inputs.add(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
    List<String> distinct = inputs.stream().distinct().toList();
    PrivateRedis redisServer = PrivateRedis.start();
    Vertx node = Node.vertx();
    Vertx clients = Vertx.vertx();
    List<DoorTally> tallies = new ArrayList<>();
    try {
      JsonObject c = conf.copy();
      PrivateNodePorts ports = PrivateNodePorts.apply(c, redisServer.port(), "fuzz_todo");
      int grpc = ports.grpc();
      int grpc3 = ports.grpc3();
      int web = ports.web();
      NodeSettings settings = NodeConfig.settings(c);
      Chunks.get(Node.deploy(node, c), 120_000);
      GrpcDoors g = new GrpcDoors(clients, SocketAddress.inetSocketAddress(grpc, "127.0.0.1"),
          SocketAddress.inetSocketAddress(grpc3, "127.0.0.1"));
      HttpDoors h = new HttpDoors(web);
      RedisStore store = RedisStore.create(clients, settings.redis(), RedisStore.Pool.DEFAULT);
      try {
        Map<String, Door> all = new LinkedHashMap<>();
        all.put("dgad4", () -> g.dgad4(distinct));
        all.put("dgad3", () -> g.dgad3(distinct));
        all.put("batch", () -> g.batch(inputs));
        all.put("stream", () -> g.stream(inputs));
        all.put("classify", () -> h.classify(inputs));
        all.put("redis", () -> RedisAndCliDoors.redis(store, settings.node().id(), distinct));
        all.put("results", () -> h.results(distinct));
        all.put("jobs", () -> h.jobs(inputs));
        all.put("cli", () -> RedisAndCliDoors.cli(c, grpc, inputs));
        for (Door d : chosen(all, doors)) {
          long t0 = System.nanoTime();
          DoorTally t;
          try (SevereLog severe = new SevereLog()) {
            t = d.run();
            for (String r : severe.records()) {
              t.fail("(the node's log)", "SEVERE: " + r);
            }
          }
          System.err.printf("fuzz: %s: %,d inputs, %,d failed, %,d sent again (%.1f s)%n", t.door(), t.sent(),
              t.failed(), t.retried(), (System.nanoTime() - t0) / 1e9);
          tallies.add(t);
        }
      } finally {
        Chunks.await(h.close(), 10_000);
        Chunks.await(store.close(), 10_000);
      }
    } finally {
      Chunks.await(clients.close(), 30_000);
      Chunks.await(node.close(), 30_000);
      redisServer.close();
    }
    return tallies;
  }

  private static List<Door> chosen(Map<String, Door> all, List<String> names) {
    if (names.isEmpty()) {
      return List.copyOf(all.values());
    }
    List<Door> out = new ArrayList<>();
    for (String n : names) {
      Door d = all.get(n);
      if (d == null) {
        throw new IllegalArgumentException("no door '" + n + "'; the doors are " + all.keySet());
      }
      out.add(d);
    }
    return out;
  }

  /** The tallies as a Markdown table, then the first failures of each door. */
  public static void print(List<DoorTally> tallies, PrintStream out) {
    out.println("| door | inputs | judged (host names) | refused with a reason | failed | sent again |");
    out.println("|---|---|---|---|---|---|");
    for (DoorTally t : tallies) {
      out.printf("| %s | %,d | %,d | %,d | %,d | %,d |%n", t.door(), t.sent(), t.answered(), t.refused(), t.failed(),
          t.retried());
    }
    for (DoorTally t : tallies) {
      for (String e : t.examples()) {
        out.println("- " + t.door() + ": " + e);
      }
    }
  }
}
