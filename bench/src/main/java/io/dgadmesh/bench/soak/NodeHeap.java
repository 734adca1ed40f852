package io.dgadmesh.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's heap after a full collection, read with {@code jcmd <pid> GC.run} then
 * {@code GC.heap_info} (one jcmd call with both, from a command file). Heap in use between
 * collections mixes garbage with what the node keeps, and the node's own after-collection figure
 * (its readiness check) changes only when G1 collects the old generation (mixed or full
 * collections), which a steady heap may not need for a long time. A forced full collection
 * measures what survives, at the cost of one pause per sample in the node (its answers wait
 * meanwhile, and count in that interval's p99).
 */
final class NodeHeap {
  private static final Pattern USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  private final Path commands;

  NodeHeap(Path dir) throws IOException {
    commands = dir.resolve("jcmd-heap.txt");
    Files.writeString(commands, "GC.run\nGC.heap_info\n");
  }

  /** Bytes in use after a full collection; empty when jcmd is missing or the node did not answer. */
  OptionalLong afterFullGc(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return OptionalLong.empty();
    }
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "-f", commands.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return OptionalLong.empty();
      }
      Matcher m = USED.matcher(out);
      return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }
}
