package io.dgadmesh.bus;

import io.dgadmesh.ingest.DnsRecord;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The one owner of the ingest contract on the event bus, as {@link Bus} is for classify: every
 * source of DNS records (the {@code ingest} CLI through HTTP, the Kafka source) sends batches of
 * {@link DnsRecord}s to {@link #INGEST}; the host verticle classifies their names, updates the
 * per-host state and replies only when that state is written, so a source may acknowledge its
 * input (commit a Kafka offset) on the reply: at-least-once.
 *
 * <p>Request: {@code {"records": [[time_ms|null, client, query, qtype, rcode, [answers...]], ...]}};
 * arrays rather than objects, because a batch holds thousands of records. Reply:
 * {@code {"records": n, "names": distinct names judged, "hosts": hosts updated, "skipped": n}}.
 * A batch over {@link #MAX_RECORDS} is refused with {@link Bus#BAD_REQUEST}; a node whose host
 * state cannot keep up answers {@link Bus#OVERLOADED}, and the source retries later.
 */
public final class IngestBus {
  public static final String INGEST = "dgad.ingest";
  /** Alerts when a host turns infected: a HostReport's JSON. */
  public static final String ALERTS = "dgad.alerts";
  public static final int MAX_RECORDS = 10_000;
  public static final long TIMEOUT_MS = 60_000;

  public record Reply(long records, long names, long hosts, long skipped) {
    public JsonObject toJson() {
      return new JsonObject().put("records", records).put("names", names).put("hosts", hosts).put("skipped", skipped);
    }

    public static Reply fromJson(JsonObject j) {
      return new Reply(j.getLong("records", 0L), j.getLong("names", 0L), j.getLong("hosts", 0L),
          j.getLong("skipped", 0L));
    }
  }

  private IngestBus() {}

  public static JsonObject request(List<DnsRecord> records) {
    JsonArray a = new JsonArray(new ArrayList<>(records.size()));
    for (DnsRecord r : records) {
      a.add(new JsonArray().add(r.hasTime() ? r.timeMillis() : null).add(r.client()).add(r.query())
          .add(r.qtype()).add(r.rcode()).add(new JsonArray(new ArrayList<>(r.answers()))));
    }
    return new JsonObject().put("records", a);
  }

  /** The records of a request; throws IllegalArgumentException naming the first bad one. */
  public static List<DnsRecord> records(JsonObject request) {
    JsonArray a = request == null ? null : request.getJsonArray("records");
    if (a == null) {
      throw new IllegalArgumentException("request needs a 'records' array");
    }
    if (a.size() > MAX_RECORDS) {
      throw new IllegalArgumentException(a.size() + " records in one batch; at most " + MAX_RECORDS);
    }
    List<DnsRecord> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      try {
        JsonArray r = a.getJsonArray(i);
        Long t = r.getLong(0);
        JsonArray ans = r.getJsonArray(5);
        List<String> answers = new ArrayList<>(ans == null ? 0 : ans.size());
        if (ans != null) {
          for (int k = 0; k < ans.size(); k++) {
            answers.add(ans.getString(k));
          }
        }
        String query = r.getString(2);
        if (query == null) {
          throw new IllegalArgumentException("no query name");
        }
        out.add(new DnsRecord(t == null ? DnsRecord.UNKNOWN_TIME : t, r.getString(1), query, r.getString(3),
            r.getString(4), answers));
      } catch (ClassCastException | IndexOutOfBoundsException | IllegalArgumentException e) {
        throw new IllegalArgumentException("record " + i + " is not [time, client, query, qtype, rcode, answers]: "
            + e.getMessage());
      }
    }
    return out;
  }

  public static Future<Reply> send(EventBus bus, List<DnsRecord> records) {
    return bus.<JsonObject>request(INGEST, request(records), new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(m -> Reply.fromJson(m.body()));
  }
}
