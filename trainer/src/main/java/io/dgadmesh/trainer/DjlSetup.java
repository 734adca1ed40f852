package io.dgadmesh.trainer;

import java.nio.file.Path;

/** DJL runs fully offline: the PyTorch native library comes from the Maven jar, never a download. */
final class DjlSetup {
  private DjlSetup() {}

  static void configure(int threads) {
    System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", Path.of("target", "djl-cache").toAbsolutePath().toString());
    }
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }
}
