package io.dgadmesh.bench.soak;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One door's answers, latencies and errors, taken interval by interval. Latencies go to an
 * HdrHistogram recorder (constant memory, safe from any thread); an error is counted apart when
 * the call overlapped a restart of the node.
 */
final class DoorMeter {

  /**
   * One interval of a door: names answered, calls answered, errors (of them during a restart), p50
   * and p99 in ms (of calls; of names for a door that {@link Door#timesNames}).
   */
  record Interval(long names, long calls, long errors, long restartErrors, double p50Ms, double p99Ms) {}

  private static final int EXAMPLES = 5;
  final Door door;
  private final RestartWindows restarts;
  private final Recorder latencies = new Recorder(3);
  private final Histogram whole = new Histogram(3);
  private final LongAdder names = new LongAdder();
  private final LongAdder calls = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder restartErrors = new LongAdder();
  private final List<String> examples = Collections.synchronizedList(new ArrayList<>());
  private long totalNames;
  private long totalCalls;
  private long totalErrors;
  private long totalRestartErrors;

  DoorMeter(Door door, RestartWindows restarts) {
    this.door = door;
    this.restarts = restarts;
  }

  /** A call answered {@code n} names. */
  void answered(int n, long sentNanos) {
    latencies.recordValue(Math.max(1, (System.nanoTime() - sentNanos) / 1_000));
    names.add(n);
    calls.increment();
  }

  /** {@code n} names of a call got their answers, each timed (a door that {@link Door#timesNames}). */
  void namesAnswered(int n, long sentNanos) {
    latencies.recordValueWithCount(Math.max(1, (System.nanoTime() - sentNanos) / 1_000), n);
    names.add(n);
  }

  /** A call whose names were timed one by one has all its answers. */
  void callAnswered() {
    calls.increment();
  }

  void failed(long sentNanos, String why) {
    errors.increment();
    if (restarts.overlaps(sentNanos, System.nanoTime())) {
      restartErrors.increment();
    } else if (examples.size() < EXAMPLES) {
      examples.add(why);
    }
  }

  /** The interval since the last call, which starts the next one. */
  synchronized Interval take() {
    Histogram h = latencies.getIntervalHistogram();
    whole.add(h);
    Interval i = new Interval(names.sumThenReset(), calls.sumThenReset(), errors.sumThenReset(),
        restartErrors.sumThenReset(), ms(h, 50), ms(h, 99));
    totalNames += i.names();
    totalCalls += i.calls();
    totalErrors += i.errors();
    totalRestartErrors += i.restartErrors();
    return i;
  }

  /** The whole run so far (up to the last {@link #take}). */
  synchronized Interval total() {
    return new Interval(totalNames, totalCalls, totalErrors, totalRestartErrors, ms(whole, 50), ms(whole, 99));
  }

  /** The first errors that did not overlap a restart. */
  List<String> examples() {
    return List.copyOf(examples);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e3;
  }
}
