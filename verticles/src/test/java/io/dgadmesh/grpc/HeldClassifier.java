package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands for the classifiers on {@link Bus#CLASSIFY}, so a test decides when and how requests are
 * answered: it holds each request until {@link #answerAll} (each name gets a benign result), or
 * fails every request with {@link Bus#OVERLOADED}, as a classifier whose queue is full does.
 * Counts the names it was sent: the work the door gave the classifiers.
 */
final class HeldClassifier {

  private final List<Message<JsonObject>> held = new ArrayList<>();
  private final AtomicInteger names = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile boolean overloaded;

  HeldClassifier(Vertx vertx) {
    vertx.eventBus().<JsonObject>consumer(Bus.CLASSIFY, msg -> {
      requests.incrementAndGet();
      names.addAndGet(msg.body().getJsonArray(Bus.NAMES).size());
      if (overloaded) {
        msg.fail(Bus.OVERLOADED, "classifier queue full (test)");
      } else {
        synchronized (held) {
          held.add(msg);
        }
      }
    }).completion().await();
  }

  HeldClassifier overloaded() {
    overloaded = true;
    return this;
  }

  int names() {
    return names.get();
  }

  int requests() {
    return requests.get();
  }

  /** Answers every request held so far; returns how many. */
  int answerAll() {
    List<Message<JsonObject>> now;
    synchronized (held) {
      now = new ArrayList<>(held);
      held.clear();
    }
    for (Message<JsonObject> msg : now) {
      List<Bus.Result> rs = new ArrayList<>();
      for (Object n : msg.body().getJsonArray(Bus.NAMES)) {
        rs.add(new Bus.Result(String.valueOf(n), false, 0.01f, null, 0f, null));
      }
      msg.reply(Bus.classifyReply(rs));
    }
    return now.size();
  }
}
