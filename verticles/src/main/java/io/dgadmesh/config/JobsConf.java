package io.dgadmesh.config;

/** The {@code jobs} section: how batch jobs are cut into tasks and how long a task may run. */
public record JobsConf(int taskSize, int tasksPerWorker, int taskTimeoutMs) {

  static JobsConf read(Section s) {
    return new JobsConf(s.integer("taskSize", 1, 100_000), s.integer("tasksPerWorker", 1, 64),
        s.integer("taskTimeoutMs", 1_000, 3_600_000));
  }
}
