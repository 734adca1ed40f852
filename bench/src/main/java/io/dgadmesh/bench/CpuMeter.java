package io.dgadmesh.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used by this process over a measured window, and the share of the machine's CPU time the
 * hypervisor took away meanwhile (steal, from /proc/stat). On a shared VM the same code can run
 * at half speed when neighbours are busy; steal says when a figure was measured on such a day.
 */
final class CpuMeter {

  /** What a window measured. stealShare is NaN where /proc/stat is missing (not Linux). */
  record Window(double seconds, double cpuSeconds, double stealShare) {
    String perOp(double ops, String unit) {
      if (ops <= 0) {
        return "no " + unit + " answered";
      }
      return String.format("%.1f µs CPU/%s", cpuSeconds * 1e6 / ops, unit);
    }

    String steal() {
      return Double.isNaN(stealShare) ? "steal n/a" : String.format("steal %.0f%%", stealShare * 100);
    }
  }

  private final long startNanos = System.nanoTime();
  private final long startCpu = processCpuNanos();
  private final long[] startStat = machineStat();

  static CpuMeter start() {
    return new CpuMeter();
  }

  Window stop() {
    long[] stat = machineStat();
    double steal = Double.NaN;
    if (stat != null && startStat != null) {
      long total = stat[0] - startStat[0];
      steal = total <= 0 ? 0 : (double) (stat[1] - startStat[1]) / total;
    }
    return new Window((System.nanoTime() - startNanos) / 1e9, (processCpuNanos() - startCpu) / 1e9, steal);
  }

  /** CPU time of this whole process: the node, and the bench's callers when they run in it. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** {all ticks, steal ticks} of the machine, or null. Fields: user nice system idle iowait irq softirq steal. */
  private static long[] machineStat() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      return new long[] {total, f.length > 8 ? Long.parseLong(f[8]) : 0};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
