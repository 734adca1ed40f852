package io.dgadmesh.model;

import ai.onnxruntime.OrtEnvironment;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * ONNX Runtime's Java binding registers a JVM shutdown hook that releases its native environment.
 * JVM shutdown hooks run concurrently, so at SIGTERM that hook frees the environment while a model
 * call may still run and while the node's own hook waits for that call to return before it closes
 * the session: the running call then crashes the JVM (seen as SIGSEGV/SIGBUS in
 * libonnxruntime.so). The environment lives as long as the process does and its memory goes with
 * the process, so this removes ORT's hook: nothing is released under a running call.
 *
 * <p>The hook is found through {@code java.lang.ApplicationShutdownHooks}, which needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (bin/dgad, the image and the test nodes pass
 * it); without it the hook stays and this says so once in the log.
 */
final class OrtEnvironmentHook {

  private static final Logger LOG = Logger.getLogger(OrtEnvironmentHook.class.getName());
  private static final String CLOSER = "ai.onnxruntime.OrtEnvironment$OrtEnvCloser";
  private static volatile boolean done;

  private OrtEnvironmentHook() {}

  /** Removes ORT's release-at-exit hook, once per process. Returns whether it is gone. */
  static synchronized boolean remove() {
    if (done) {
      return true;
    }
    OrtEnvironment.getEnvironment(); // the hook is registered when the environment is made
    try {
      Class<?> holder = Class.forName("java.lang.ApplicationShutdownHooks");
      Field hooksField = holder.getDeclaredField("hooks");
      hooksField.setAccessible(true);
      Field target = Thread.class.getDeclaredField("target");
      target.setAccessible(true);
      List<Thread> hooks;
      synchronized (holder) {
        @SuppressWarnings("unchecked")
        Map<Thread, Thread> m = (Map<Thread, Thread>) hooksField.get(null);
        hooks = m == null ? List.of() : new ArrayList<>(m.keySet());
      }
      for (Thread t : hooks) {
        Object runnable = target.get(t);
        if (runnable != null && CLOSER.equals(runnable.getClass().getName())) {
          Runtime.getRuntime().removeShutdownHook(t);
        }
      }
      done = true;
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      done = true; // say it once
      LOG.warning("ONNX Runtime's shutdown hook stays (" + e + "): a model call running at SIGTERM may crash the JVM;"
          + " run with --add-opens java.base/java.lang=ALL-UNNAMED");
      return false;
    }
  }
}
