package io.dgadmesh.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short {@code bench --soak}: a real node JVM on its own redis-server, every door loaded at once
 * with the hostile client beside them, restarted with SIGTERM every 10 s of uptime. Every name
 * added to Redis must end labelled and written once, every stop must be clean, and every door must
 * have its cell in every row. Node logs: the directory the soak prints (a temporary directory).
 */
class SoakTest {

  /** Lower than the defaults: the build runs this beside other tests on two cores. */
  private static final Map<String, Integer> RATES = Map.of("redis", 1_000, "grpc4", 300, "grpc3", 100, "batch", 2_000,
      "stream", 1_000, "classify", 1_000, "jobs", 500, "hostile", 20);

  @Test
  @Timeout(420)
  void aShortSoakWithRestartsLosesNothingAndReportsEveryDoor() throws Exception {
    SoakPlan plan = SoakPlan.of(Duration.ofSeconds(40)).withRestartEvery(Duration.ofSeconds(8))
        .withInterval(Duration.ofSeconds(5)).withDrain(Duration.ofMinutes(3)).withRates(RATES);
    JsonObject conf = NodeConfig.load(null, Map.of());
    // A job task the stopped node held waits this long before the leader gives it out again (the
    // node that comes back under the same id does not take it back): 120 s by default.
    conf.getJsonObject("jobs").put("taskTimeoutMs", 15_000);
    SoakReport report = Soak.run(conf, plan, System.err);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    report.print(new PrintStream(text, true, StandardCharsets.UTF_8));
    String printed = text.toString(StandardCharsets.UTF_8);
    System.out.println(printed);

    assertTrue(report.checked() >= 10_000, "names went through the Redis door: " + report.checked());
    assertEquals(0, report.lost(), "names lost:\n" + printed);
    assertEquals(0, report.answeredTwice(), "names answered twice:\n" + printed);
    assertTrue(report.lives().size() >= 2, "the node was restarted mid-load:\n" + printed);
    assertEquals(0, report.uncleanStops(), "every SIGTERM stopped the node cleanly:\n" + printed);
    assertTrue(report.end().jobsNotDone().isEmpty(), "every job accepted was done:\n" + printed);
    assertEquals(0, report.hostileWrong(), "hostile inputs answered right:\n" + printed);

    assertTrue(report.rows().size() >= 9, "a row every 5 s, and one for the drain:\n" + printed);
    for (SoakReport.Row r : report.rows()) {
      assertEquals(Door.values().length, r.doors().size(), "row " + r.index() + " has every door");
    }
    int firstRestart = report.rows().stream().filter(SoakReport.Row::restarted).mapToInt(SoakReport.Row::index)
        .findFirst().orElseThrow();
    for (Door d : Door.values()) {
      assertTrue(report.totals().get(d).names() > 0, d.label + " answered names:\n" + printed);
      assertTrue(printed.contains("| " + d.label + " |"), d.label + " in the report's totals");
      assertTrue(report.rows().stream().anyMatch(r -> r.index() > firstRestart && r.doors().get(d).names() > 0),
          d.label + " answered again after the first restart:\n" + printed);
    }
    assertTrue(report.rows().stream().anyMatch(r -> r.heapBytes().isPresent()), "heap after GC was read:\n" + printed);
    assertTrue(printed.contains("verdict: "), printed);
  }

  /** The end check can fail: a name never added is lost, a result hash written twice is counted. */
  @Test
  @Timeout(60)
  void theLedgerCountsNamesLostAndAnsweredTwice() throws Exception {
    try (RedisServer server = RedisServer.start()) {
      Vertx vertx = Vertx.vertx();
      try {
        Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:" + server.port());
        int perCall = Door.REDIS.namesPerCall;
        // Call 0: every name labelled once; call 2: labelled, one of them written twice; call 1 never added.
        for (long i = 0; i < perCall; i++) {
          label(server, SoakNames.redis(i), 1);
          label(server, SoakNames.redis(2L * perCall + i), i == 7 ? 2 : 1);
        }
        BitSet calls = new BitSet();
        calls.set(0, 3);
        RedisLedger.Outcome o = RedisLedger.check(redis, calls);
        assertEquals(3L * perCall, o.checked());
        assertEquals(perCall, o.lost(), o.examples().toString());
        assertEquals(1, o.twice(), o.examples().toString());
        assertTrue(o.examples().contains("written 2 times: " + SoakNames.redis(2L * perCall + 7)), o.examples().toString());

        calls.clear(1);
        RedisLedger.Outcome clean = RedisLedger.check(redis, calls);
        assertEquals(0, clean.lost());
      } finally {
        RedisLedger.await(vertx.close());
      }
    }
  }

  /** The p99 trend reads steady rows only: a slow row in which the node came back is not a trend. */
  @Test
  void theP99TrendSkipsRowsARestartTouched() {
    java.util.List<SoakReport.Row> rows = new java.util.ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      boolean restarted = i % 3 == 0; // a restart began in rows 3, 6 and 9...
      boolean comeback = i == 4 || i == 7; // ...and the node came back in rows 4 and 7, slowly
      rows.add(row(i, restarted, !restarted && !comeback, restarted || comeback ? 9_000 : 20));
    }
    assertTrue(SoakReport.p99Grew(rows).isEmpty(), SoakReport.p99Grew(rows).toString());

    rows.add(row(10, false, true, 80)); // steady rows that slowed down: a trend
    rows.add(row(11, false, true, 90));
    assertEquals(java.util.List.of("grpc4 20.0 -> 90.0 ms"), SoakReport.p99Grew(rows));
  }

  /** A row in which only the dgad 4.x door has calls. */
  private static SoakReport.Row row(int index, boolean restarted, boolean steady, double p99Ms) {
    Map<Door, DoorMeter.Interval> doors = new java.util.EnumMap<>(Door.class);
    for (Door d : Door.values()) {
      doors.put(d, new DoorMeter.Interval(0, 0, 0, 0, Double.NaN, Double.NaN));
    }
    doors.put(Door.GRPC4, new DoorMeter.Interval(100, 100, 0, 0, p99Ms / 2, p99Ms));
    return new SoakReport.Row(index, false, index * 5.0, java.util.OptionalLong.empty(), 0, 0, 0, null, restarted, steady,
        doors);
  }

  private static void label(RedisServer server, String name, int writes) {
    assertEquals("+OK", server.command("SET " + name + " ok"));
    server.command("HSET dgad:result:" + name + " writes " + writes);
  }

  @Test
  void namesAreUniqueAndDoorsAreNamedByTheirKeys() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (long i = 0; i < 200_000; i++) {
      assertTrue(seen.add(SoakNames.redis(i)), "name " + i + " twice");
    }
    assertEquals(Door.JOBS, Door.of("JOBS"));
    assertEquals(2_000, SoakPlan.of(Duration.ofMinutes(1)).withRates(Map.of("batch", 2_000)).rates().get(Door.BATCH));
  }
}
