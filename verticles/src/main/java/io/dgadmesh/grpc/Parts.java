package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Sends one call's names to the classifiers in parts of {@link #PART} names, at most
 * {@link #IN_FLIGHT} parts at a time. A call of 10,000 names then waits in the classifiers' queue
 * with 2,000 at most, so the calls of other clients are not queued behind it whole (fairness),
 * and when its client goes (a cancel, a deadline) the parts not yet sent are never sent.
 */
final class Parts {

  static final int PART = 1_000;
  static final int IN_FLIGHT = 2;

  private Parts() {}

  /**
   * One result per name, in order, or the first failure; {@link Results.Gone} once {@code gone}
   * says the client has left.
   */
  static Future<List<Bus.Result>> classify(EventBus bus, List<String> names, BooleanSupplier gone) {
    if (gone.getAsBoolean()) {
      return Future.failedFuture(Results.Gone.INSTANCE);
    }
    if (names.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    if (names.size() <= PART) {
      return Bus.classify(bus, names);
    }
    return new Sending(bus, names, gone).start();
  }

  private static final class Sending {
    private final EventBus bus;
    private final List<String> names;
    private final BooleanSupplier gone;
    private final Bus.Result[] results;
    private final Promise<List<Bus.Result>> done = Promise.promise();
    private int next;
    private int running;
    private int answered;
    private boolean over;

    Sending(EventBus bus, List<String> names, BooleanSupplier gone) {
      this.bus = bus;
      this.names = names;
      this.gone = gone;
      this.results = new Bus.Result[names.size()];
    }

    Future<List<Bus.Result>> start() {
      sendMore();
      return done.future();
    }

    private void sendMore() {
      while (!over && running < IN_FLIGHT && next < names.size()) {
        if (gone.getAsBoolean()) {
          finish(Results.Gone.INSTANCE);
          return;
        }
        int from = next;
        int to = Math.min(names.size(), from + PART);
        next = to;
        running++;
        Bus.classify(bus, names.subList(from, to)).onComplete(ar -> {
          running--;
          if (over) {
            return;
          }
          if (ar.failed()) {
            finish(ar.cause());
            return;
          }
          List<Bus.Result> part = ar.result();
          for (int i = 0; i < part.size(); i++) {
            results[from + i] = part.get(i);
          }
          answered += to - from;
          if (answered == names.size()) {
            over = true;
            done.complete(Arrays.asList(results));
          } else {
            sendMore();
          }
        });
      }
    }

    private void finish(Throwable failure) {
      over = true;
      done.fail(failure);
    }
  }
}
