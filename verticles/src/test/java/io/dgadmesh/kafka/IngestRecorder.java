package io.dgadmesh.kafka;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.bus.IngestBus;
import io.dgadmesh.ingest.DnsRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A recording stand-in for the host state at the ingest contract ({@link IngestBus#INGEST}): it
 * keeps every request it gets (records with their source ids) and answers as the test says.
 * Read from the test thread, so everything it keeps is guarded.
 */
final class IngestRecorder {

  enum Mode { REPLY, HOLD, OVERLOADED, REFUSE }

  record Delivery(String source, DnsRecord record) {}

  private final List<List<Delivery>> requests = new ArrayList<>();
  private final List<Delivery> answered = new ArrayList<>();
  private final List<Message<JsonObject>> held = new ArrayList<>();
  private volatile Mode mode = Mode.REPLY;
  private MessageConsumer<JsonObject> consumer;

  static IngestRecorder on(Vertx vertx) {
    IngestRecorder r = new IngestRecorder();
    r.consumer = vertx.eventBus().consumer(IngestBus.INGEST, r::handle);
    return r;
  }

  private void handle(Message<JsonObject> m) {
    List<DnsRecord> records = IngestBus.records(m.body());
    List<String> sources = IngestBus.sources(m.body());
    List<Delivery> got = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      got.add(new Delivery(sources.isEmpty() ? null : sources.get(i), records.get(i)));
    }
    synchronized (this) {
      requests.add(got);
      switch (mode) {
        case REPLY -> answer(m);
        case HOLD -> held.add(m);
        case OVERLOADED -> m.fail(Bus.OVERLOADED, "host state busy");
        case REFUSE -> m.fail(Bus.BAD_REQUEST, "refused by the test");
      }
    }
  }

  private void answer(Message<JsonObject> m) {
    List<DnsRecord> records = IngestBus.records(m.body());
    List<String> sources = IngestBus.sources(m.body());
    for (int i = 0; i < records.size(); i++) {
      answered.add(new Delivery(sources.get(i), records.get(i)));
    }
    Set<String> names = new HashSet<>();
    Set<String> hosts = new HashSet<>();
    records.forEach(r -> {
      names.add(r.query());
      hosts.add(r.client());
    });
    m.reply(new IngestBus.Reply(records.size(), names.size(), hosts.size(), 0).toJson());
  }

  synchronized void mode(Mode m) {
    mode = m;
  }

  /** Answers every held request (on the caller's thread: replying is thread-safe). */
  synchronized void release() {
    held.forEach(this::answer);
    held.clear();
  }

  synchronized int heldCount() {
    return held.size();
  }

  synchronized List<List<Delivery>> requests() {
    return List.copyOf(requests);
  }

  /** The records of the requests answered with success, in order. */
  synchronized List<Delivery> answered() {
    return List.copyOf(answered);
  }

  Future<Void> close() {
    return consumer.unregister();
  }
}
