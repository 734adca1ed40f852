package io.dgadmesh.bench.soak;

import io.dgadmesh.bench.fuzz.DoorTally;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a soak saw: a row per report interval (heap after a full collection, CPU, and per door the
 * names answered, p99 and errors), each life of the node, and the end (names lost or answered
 * twice, jobs never done, the hostile client's tallies); and the verdict.
 */
public final class SoakReport {

  /**
   * One report interval. The CPU shares are of all the machine's cores: the node's, this process's
   * (the soak's clients), redis-server's, and the whole machine's (everything else running too).
   * {@code restarted}: a restart began in it (the table's "R"); {@code steady}: the node was ready
   * throughout it, so no part of it was a restart or the end of one.
   */
  record Row(int index, boolean drain, double atSeconds, OptionalLong heapBytes, double nodeCpu, double clientCpu, double redisCpu,
             MachineCpu.Window machine, boolean restarted, boolean steady, Map<Door, DoorMeter.Interval> doors) {}

  /** One life of the node: how long it took to be ready, how long it served, its heap at the end, its stop. */
  record Life(int life, double readySeconds, double servedSeconds, OptionalLong heapAtEnd, SoakNode.Stop stop) {}

  /** How the run ended: what was left unanswered after the drain, and the checks in Redis. */
  record End(long todoLeft, long inFlightLeft, RedisLedger.Outcome ledger, List<String> jobsNotDone,
             List<DoorTally> hostile, List<String> severe, String aborted) {}

  /** A heap sample is flat when the last third's median is within this share of -Xmx of the first third's. */
  static final double FLAT_HEAP_SHARE = 0.10;
  static final long NODE_HEAP_MAX = 512L << 20;

  private final String header;
  private final List<Row> rows;
  private final List<Life> lives;
  private final Map<Door, DoorMeter.Interval> totals;
  private final Map<Door, List<String>> examples;
  private final End end;

  SoakReport(String header, List<Row> rows, List<Life> lives, Map<Door, DoorMeter.Interval> totals,
             Map<Door, List<String>> examples, End end) {
    this.header = header;
    this.rows = List.copyOf(rows);
    this.lives = List.copyOf(lives);
    this.totals = Map.copyOf(totals);
    this.examples = Map.copyOf(examples);
    this.end = end;
  }

  List<Row> rows() {
    return rows;
  }

  List<Life> lives() {
    return lives;
  }

  Map<Door, DoorMeter.Interval> totals() {
    return totals;
  }

  public long lost() {
    return end.ledger().lost();
  }

  public long answeredTwice() {
    return end.ledger().twice();
  }

  long checked() {
    return end.ledger().checked();
  }

  End end() {
    return end;
  }

  /** Errors of calls that did not overlap a restart: the node's own. */
  long errorsOutsideRestarts() {
    return totals.values().stream().mapToLong(t -> t.errors() - t.restartErrors()).sum();
  }

  long hostileWrong() {
    return end.hostile().stream().mapToLong(DoorTally::failed).sum();
  }

  long uncleanStops() {
    return lives.stream().filter(l -> !l.stop().clean()).count();
  }

  /** Whether the heap after GC stayed flat: the medians of the first and last thirds of the samples. */
  String heapTrend() {
    long[] h = rows.stream().filter(r -> r.heapBytes().isPresent()).mapToLong(r -> r.heapBytes().getAsLong()).toArray();
    if (h.length < 3) {
      return null;
    }
    int third = h.length / 3;
    long first = median(Arrays.copyOfRange(h, 0, third));
    long last = median(Arrays.copyOfRange(h, h.length - third, h.length));
    return String.format("%s (median of the first third of samples %d MB, of the last third %d MB; min %d, max %d MB)",
        last - first <= FLAT_HEAP_SHARE * NODE_HEAP_MAX ? "flat" : "GROWS", first >> 20, last >> 20,
        Arrays.stream(h).min().getAsLong() >> 20, Arrays.stream(h).max().getAsLong() >> 20);
  }

  boolean heapFlat() {
    String t = heapTrend();
    return t != null && t.startsWith("flat");
  }

  List<String> p99Grew() {
    return p99Grew(rows);
  }

  /**
   * Doors whose p99 grew: the median p99 of the last third of the steady rows above twice the
   * first third's plus 5 ms (scheduling noise on a shared machine). Empty: stable. Only steady rows:
   * a row in which the node came back answers the calls held up by its restart, and those waits
   * are the restart's, not a trend (a short soak that restarts often has few other rows).
   */
  static List<String> p99Grew(List<Row> rows) {
    List<String> grew = new ArrayList<>();
    List<Row> quiet = rows.stream().filter(r -> r.steady() && !r.drain()).toList();
    int third = quiet.size() / 3;
    if (third == 0) {
      return grew;
    }
    for (Door d : Door.values()) {
      double first = medianP99(quiet.subList(0, third), d);
      double last = medianP99(quiet.subList(quiet.size() - third, quiet.size()), d);
      if (!Double.isNaN(first) && !Double.isNaN(last) && last > 2 * first + 5) {
        grew.add(String.format("%s %.1f -> %.1f ms", d.key, first, last));
      }
    }
    return grew;
  }

  private static double medianP99(List<Row> rows, Door d) {
    double[] v = rows.stream().mapToDouble(r -> r.doors().get(d).p99Ms()).filter(x -> !Double.isNaN(x)).sorted().toArray();
    return v.length == 0 ? Double.NaN : v[v.length / 2];
  }

  private static long median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** Why the run failed; empty when it passed. */
  List<String> failures() {
    List<String> f = new ArrayList<>();
    if (end.aborted() != null) {
      f.add("aborted: " + end.aborted());
    }
    if (lost() > 0) {
      f.add(lost() + " names lost");
    }
    if (answeredTwice() > 0) {
      f.add(answeredTwice() + " names answered twice");
    }
    if (end.todoLeft() + end.inFlightLeft() > 0) {
      f.add(end.todoLeft() + " names still queued and " + end.inFlightLeft() + " in flight after the drain");
    }
    if (!end.jobsNotDone().isEmpty()) {
      f.add(end.jobsNotDone().size() + " jobs never done");
    }
    if (uncleanStops() > 0) {
      f.add(uncleanStops() + " unclean stops");
    }
    if (errorsOutsideRestarts() > 0) {
      f.add(errorsOutsideRestarts() + " errors outside restarts");
    }
    if (hostileWrong() > 0) {
      f.add(hostileWrong() + " hostile inputs answered wrongly");
    }
    if (!end.severe().isEmpty()) {
      f.add(end.severe().size() + " SEVERE log lines");
    }
    if (!heapFlat()) {
      f.add("heap after GC not flat");
    }
    if (!p99Grew().isEmpty()) {
      f.add("p99 grew: " + String.join(", ", p99Grew()));
    }
    return f;
  }

  public boolean passed() {
    return failures().isEmpty();
  }

  public String verdict() {
    List<String> f = failures();
    if (!f.isEmpty()) {
      return "verdict: FAIL: " + String.join("; ", f);
    }
    return String.format("verdict: PASS: %,d names added to Redis, 0 lost, 0 answered twice; %d restarts, every stop clean;"
        + " 0 errors outside restarts; hostile inputs all answered right; heap after GC flat; p99 stable", checked(),
        lives.size() - 1);
  }

  /** Row {@code r} as a Markdown table row. */
  static String row(Row r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("| %s | %s | %s / %s / %s / %s |%s", r.drain() ? "end" : minutes(r.atSeconds()),
        r.heapBytes().isPresent() ? (r.heapBytes().getAsLong() >> 20) + " MB" : "n/a", pct(r.nodeCpu()),
        pct(r.clientCpu()), pct(r.redisCpu()),
        pct(r.machine().busy()) + (r.machine().steal() > 0.005 ? ", steal " + pct(r.machine().steal()) : ""),
        r.restarted() ? " R |" : "  |"));
    for (Door d : Door.values()) {
      b.append(' ').append(cell(r.doors().get(d))).append(" |");
    }
    return b.toString();
  }

  static String tableHead() {
    StringBuilder b = new StringBuilder("| min | heap after GC | CPU: node / clients / redis / machine | restart |");
    StringBuilder line = new StringBuilder("|---|---|---|---|");
    for (Door d : Door.values()) {
      b.append(' ').append(d.label).append(" |");
      line.append("---|");
    }
    return b + "\n" + line;
  }

  /** names answered · p99 · errors (those during a restart marked R). */
  private static String cell(DoorMeter.Interval i) {
    String errors = i.errors() == 0 ? "0" : i.restartErrors() == i.errors() ? String.format("%,d R", i.errors())
        : i.restartErrors() == 0 ? String.format("%,d", i.errors())
        : String.format("%,d (%,d R)", i.errors(), i.restartErrors());
    return String.format("%,d · %s · %s", i.names(), Double.isNaN(i.p99Ms()) ? "-" : fmtMs(i.p99Ms()), errors);
  }

  private static String fmtMs(double ms) {
    return ms >= 100 ? String.format("%,.0f ms", ms) : String.format("%.1f ms", ms);
  }

  private static String pct(double share) {
    return Double.isNaN(share) ? "n/a" : String.format("%.0f%%", share * 100);
  }

  private static String minutes(double seconds) {
    return seconds % 60 == 0 ? String.format("%.0f", seconds / 60) : String.format("%.2f", seconds / 60);
  }

  public void print(PrintStream out) {
    out.println(header);
    out.println();
    out.println("Each door's cell: names answered · p99 latency of its calls · errors (R: the call overlapped a restart,"
        + " from SIGTERM until the new node was ready). R in the restart column: a restart began in that row. The row \"end\" is the drain: no new calls, the node answers what is left.");
    out.println();
    out.println(tableHead());
    rows.forEach(r -> out.println(row(r)));
    out.println();
    out.println("| life | ready after | served | heap after GC at its end | stop took | exit | problems |");
    out.println("|---|---|---|---|---|---|---|");
    for (Life l : lives) {
      out.printf("| %d | %.1f s | %.1f min | %s | %.1f s | %d | %s |%n", l.life(), l.readySeconds(), l.servedSeconds() / 60,
          l.heapAtEnd().isPresent() ? (l.heapAtEnd().getAsLong() >> 20) + " MB" : "n/a", l.stop().stopMs() / 1e3,
          l.stop().exitCode(), l.stop().clean() ? "none" : String.join("; ", l.stop().problems()));
    }
    out.println();
    out.println("| door | names answered | calls answered | errors | of them during restarts | p50 | p99 (whole run) |");
    out.println("|---|---|---|---|---|---|---|");
    for (Door d : Door.values()) {
      DoorMeter.Interval t = totals.get(d);
      out.printf("| %s | %,d | %,d | %,d | %,d | %s | %s |%n", d.label, t.names(), t.calls(), t.errors(), t.restartErrors(),
          Double.isNaN(t.p50Ms()) ? "-" : fmtMs(t.p50Ms()), Double.isNaN(t.p99Ms()) ? "-" : fmtMs(t.p99Ms()));
    }
    out.println();
    out.println("| hostile client, per door | inputs | judged (host names) | refused with a reason | answered wrongly |");
    out.println("|---|---|---|---|---|");
    for (DoorTally t : end.hostile()) {
      out.printf("| %s | %,d | %,d | %,d | %,d |%n", t.door(), t.sent(), t.answered(), t.refused(), t.failed());
    }
    out.println();
    out.printf("- Redis door: %,d names added by the soak, %,d lost, %,d answered twice (result hash `writes` > 1)%s%n",
        checked(), lost(), answeredTwice(), end.ledger().examples().isEmpty() ? "" : ": " + end.ledger().examples());
    out.printf("- after the drain: %,d names still in the todo set, %,d in flight; %d jobs never done%s%n", end.todoLeft(),
        end.inFlightLeft(), end.jobsNotDone().size(), end.jobsNotDone().isEmpty() ? "" : " " + end.jobsNotDone());
    String heap = heapTrend();
    out.println("- heap after GC: " + (heap == null ? "too few samples" : heap));
    out.println("- p99: " + (p99Grew().isEmpty() ? "stable (no door's median p99 in the last third of the steady rows,"
        + " those the node was ready throughout, above twice the first third's + 5 ms)" : "grew: " + String.join(", ", p99Grew())));
    examples.forEach((d, ex) -> ex.forEach(e -> out.println("- " + d.label + ", error outside restarts: " + e)));
    for (DoorTally t : end.hostile()) {
      t.examples().forEach(e -> out.println("- " + t.door() + ": " + e));
    }
    end.severe().forEach(s -> out.println("- SEVERE in a node log: " + s));
    out.println();
    out.println(verdict());
  }
}
