package io.dgadmesh.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine was between two reads of /proc/stat, and how much the hypervisor
 * took (steal): the soak shares the cores with its own clients, redis-server and whatever else
 * runs, and a p99 means little without them. NaN where /proc/stat is missing (not Linux).
 */
final class MachineCpu {

  /** Shares of all CPU time over the window: busy (neither idle nor iowait), and steal. */
  record Window(double busy, double steal) {}

  private long[] last = read();

  /** The window since the last call. */
  Window next() {
    long[] now = read();
    Window w = new Window(Double.NaN, Double.NaN);
    if (now != null && last != null && now[0] > last[0]) {
      double total = now[0] - last[0];
      w = new Window((now[1] - last[1]) / total, (now[2] - last[2]) / total);
    }
    last = now;
    return w;
  }

  /** {all, busy, steal} ticks. Fields: user nice system idle iowait irq softirq steal. */
  private static long[] read() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      return new long[] {total, total - idle - steal, steal};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
