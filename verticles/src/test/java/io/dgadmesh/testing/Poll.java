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
}
