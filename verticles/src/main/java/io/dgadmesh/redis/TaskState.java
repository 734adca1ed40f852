package io.dgadmesh.redis;

import java.util.UUID;

/**
 * One task's entry in a job's tasks hash: {@code queued}, {@code running|node|token|assignedMs}
 * or {@code done}. A running entry is unique to one assignment, so it is also the token a worker
 * shows to write the task's results: a task taken away and given to another node has another.
 */
public record TaskState(String stored) {

  public static final TaskState QUEUED = new TaskState("queued");
  private static final String RUNNING = "running|";

  /** A new assignment of a task to a node, now. */
  public static TaskState runningOn(String node) {
    return new TaskState(RUNNING + node + "|" + UUID.randomUUID().toString().substring(0, 8) + "|"
        + System.currentTimeMillis());
  }

  public boolean isQueued() {
    return equals(QUEUED);
  }

  public boolean isRunning() {
    return stored.startsWith(RUNNING);
  }

  /** The node a running task is assigned to. */
  public String node() {
    return stored.split("\\|")[1];
  }

  /** When a running task was assigned (epoch ms). */
  public long assignedMs() {
    return Long.parseLong(stored.split("\\|")[3]);
  }
}
