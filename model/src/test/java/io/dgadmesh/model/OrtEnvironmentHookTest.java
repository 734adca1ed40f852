package io.dgadmesh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Once a model is loaded, ONNX Runtime's hook that releases its environment at exit is gone (SigtermTest shows why). */
class OrtEnvironmentHookTest {

  private static long ortHooks() throws Exception {
    Class<?> holder = Class.forName("java.lang.ApplicationShutdownHooks");
    Field hooks = holder.getDeclaredField("hooks");
    hooks.setAccessible(true);
    Field target = Thread.class.getDeclaredField("target");
    target.setAccessible(true);
    synchronized (holder) {
      @SuppressWarnings("unchecked")
      Map<Thread, Thread> m = (Map<Thread, Thread>) hooks.get(null);
      long n = 0;
      for (Thread t : m.keySet()) {
        Object r = target.get(t);
        n += r != null && r.getClass().getName().startsWith("ai.onnxruntime.") ? 1 : 0;
      }
      return n;
    }
  }

  @Test
  void loadingAModelRemovesOrtsReleaseAtExitHook() throws Exception {
    try (DgaModel m = DgaModel.loadDefault(1)) {
      assertTrue(m.threshold() > 0);
      assertEquals(0, ortHooks(), "ONNX Runtime's environment closer is no longer a shutdown hook");
    }
  }
}
