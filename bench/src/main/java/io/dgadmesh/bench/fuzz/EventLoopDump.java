package io.dgadmesh.bench.fuzz;

import java.util.Map;

/**
 * The stacks of this JVM's Vert.x threads, for a call the node (in this JVM) never answered: a
 * blocked event loop or a worker stuck on a lock shows there, where a timeout alone says nothing.
 */
final class EventLoopDump {
  private static final int FRAMES = 12;

  private EventLoopDump() {}

  static String now() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      String name = e.getKey().getName();
      if (!name.startsWith("vert.x-") && !name.startsWith("dgad-")) {
        continue;
      }
      b.append(name).append(' ').append(e.getKey().getState()).append('\n');
      StackTraceElement[] st = e.getValue();
      for (int i = 0; i < Math.min(FRAMES, st.length); i++) {
        b.append("    at ").append(st[i]).append('\n');
      }
    }
    return b.toString();
  }
}
