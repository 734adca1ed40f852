package io.dgadmesh.bench.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * The times the node was restarting: from its SIGTERM until the new node said it was ready. A
 * call whose life (sent .. failed) overlaps one failed because of the restart, as a client of any
 * restarting service sees; every other failure is the node's fault. Times are System.nanoTime().
 */
final class RestartWindows {
  private static final long OPEN = Long.MAX_VALUE;
  private final List<long[]> windows = new ArrayList<>();

  synchronized void open(long nanos) {
    windows.add(new long[] {nanos, OPEN});
  }

  synchronized void close(long nanos) {
    if (!windows.isEmpty()) {
      windows.get(windows.size() - 1)[1] = nanos;
    }
  }

  synchronized boolean overlaps(long fromNanos, long toNanos) {
    for (int i = windows.size() - 1; i >= 0; i--) {
      long[] w = windows.get(i);
      if (w[0] <= toNanos && fromNanos <= w[1]) {
        return true;
      }
      if (w[1] < fromNanos) {
        return false; // the windows are in time order: the older ones end earlier still
      }
    }
    return false;
  }
}
