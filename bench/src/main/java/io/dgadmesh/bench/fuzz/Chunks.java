package io.dgadmesh.bench.fuzz;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Inputs in requests: a 10 MB input goes alone, so that its refusal does not take others with it. */
final class Chunks {
  private static final int ALONE_OVER = 100_000;

  private Chunks() {}

  static List<List<String>> of(List<String> inputs, int size) {
    return of(inputs, size, ALONE_OVER);
  }

  /** As {@link #of(List, int)}, with inputs longer than {@code aloneOver} characters each alone. */
  static List<List<String>> of(List<String> inputs, int size, int aloneOver) {
    List<List<String>> out = new ArrayList<>();
    List<String> cur = new ArrayList<>();
    for (String in : inputs) {
      if (in.length() > aloneOver) {
        out.add(List.of(in));
        continue;
      }
      cur.add(in);
      if (cur.size() == size) {
        out.add(cur);
        cur = new ArrayList<>();
      }
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }

  /** Waits for {@code f}; its failure (or a timeout) is returned, not thrown. */
  static Throwable await(Future<?> f, long timeoutMs) throws InterruptedException {
    try {
      f.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      return e;
    }
  }

  static <T> T get(Future<T> f, long timeoutMs) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }
}
