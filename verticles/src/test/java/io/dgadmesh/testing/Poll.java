package io.dgadmesh.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Waits for a condition by polling it, with a deadline; never sleeps blindly. */
public final class Poll {
  private Poll() {}

  public static Future<Void> until(Vertx vertx, long timeoutMs, String what, Supplier<Future<Boolean>> check) {
    Promise<Void> p = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMs;
    step(vertx, deadline, what, check, p);
    return p.future();
  }

  private static void step(Vertx vertx, long deadline, String what, Supplier<Future<Boolean>> check, Promise<Void> p) {
    check.get().onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        p.complete();
      } else if (System.currentTimeMillis() > deadline) {
        p.fail(new TimeoutException("timed out waiting for " + what
            + (ar.failed() ? " (last error: " + ar.cause() + ")" : "")));
      } else {
        vertx.setTimer(20, t -> step(vertx, deadline, what, check, p));
      }
    });
  }

  /** Blocking form for tests that drive processes: checks every 50 ms until true or the deadline. */
  public static void await(long timeoutMs, String what, java.util.function.BooleanSupplier check) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    RuntimeException last = null;
    while (true) {
      try {
        if (check.getAsBoolean()) {
          return;
        }
        last = null;
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what
            + (last != null ? " (last error: " + last + ")" : ""));
      }
      java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // poll interval, not a sync
    }
  }

  /** A future's value from a test thread, failing (unchecked) after timeoutMs. */
  public static <T> T get(Future<T> f, long timeoutMs) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
