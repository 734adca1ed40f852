package io.dgadmesh.kafka;

import io.dgadmesh.ingest.DnsRecord;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Kafka source's own reading of a message: JSON lines of Zeek's {@code dns.log} or of
 * Suricata's {@code eve.json}, one record per line. Deliberately small, a stand-in until the source
 * is handed the ingest package's parsers ({@link MessageParser}).
 *
 * <p>Zeek: {@code ts}, {@code id.orig_h}, {@code query}, {@code qtype_name}, {@code rcode_name},
 * {@code answers}. eve.json: events with {@code event_type: dns} whose {@code dns.type} is a
 * response ("answer" or "response", or absent); requests are left out, since Suricata logs a
 * lookup as its request and again as its response. The name is {@code dns.rrname} or
 * {@code dns.queries[0].rrname}; the client is the side that is not port 53, else {@code src_ip}.
 */
public final class RecordLines implements MessageParser {

  /** Suricata writes "2024-01-02T03:04:05.123456+0000"; ISO 8601 ("+00:00", "Z") is read too. */
  private static final DateTimeFormatter EVE_TIME = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd().toFormatter();

  @Override
  public int parse(byte[] value, Consumer<DnsRecord> out) {
    int malformed = 0;
    String text = new String(value, StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !parseLine(line, out)) {
        malformed++;
      }
    }
    return malformed;
  }

  /** False when the line is not a record this class can read. */
  private static boolean parseLine(String line, Consumer<DnsRecord> out) {
    JsonObject j;
    try {
      j = new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      return false;
    }
    try {
      if (j.containsKey("event_type")) {
        return eve(j, out);
      }
      return zeek(j, out);
    } catch (ClassCastException | IndexOutOfBoundsException e) {
      return false; // a field of the wrong type
    }
  }

  private static boolean zeek(JsonObject j, Consumer<DnsRecord> out) {
    if (!(j.getValue("query") instanceof String query) || query.isEmpty()) {
      return false;
    }
    Object id = j.getValue("id"); // {"id": {"orig_h": ...}} when Zeek's JSON is not flattened
    String client = j.getString("id.orig_h", id instanceof JsonObject o ? o.getString("orig_h", "") : "");
    long time = j.getValue("ts") instanceof Number n ? Math.round(n.doubleValue() * 1000) : time(j.getString("ts"));
    out.accept(new DnsRecord(time, client, query, j.getString("qtype_name", ""), j.getString("rcode_name", ""),
        strings(j.getJsonArray("answers"))));
    return true;
  }

  private static boolean eve(JsonObject j, Consumer<DnsRecord> out) {
    if (!"dns".equals(j.getString("event_type"))) {
      return true; // another kind of event: well formed, no DNS record in it
    }
    JsonObject dns = j.getJsonObject("dns");
    if (dns == null) {
      return false;
    }
    String type = dns.getString("type", "answer");
    if (type.equals("query") || type.equals("request")) {
      return true;
    }
    JsonArray queries = dns.getJsonArray("queries");
    JsonObject question = queries != null && !queries.isEmpty() ? queries.getJsonObject(0) : dns;
    if (!(question.getValue("rrname") instanceof String name) || name.isEmpty()) {
      return false;
    }
    List<String> answers = new ArrayList<>();
    JsonArray detailed = dns.getJsonArray("answers");
    for (int i = 0; detailed != null && i < detailed.size(); i++) {
      if (detailed.getValue(i) instanceof JsonObject a && a.getValue("rdata") instanceof String rdata) {
        answers.add(rdata);
      }
    }
    out.accept(new DnsRecord(time(j.getString("timestamp")), client(j), name, question.getString("rrtype", ""),
        dns.getString("rcode", ""), answers));
    return true;
  }

  /** The side of the flow that is not the DNS server. */
  private static String client(JsonObject j) {
    boolean srcIsServer = Integer.valueOf(53).equals(j.getInteger("src_port"));
    boolean destIsServer = Integer.valueOf(53).equals(j.getInteger("dest_port"));
    String src = j.getString("src_ip", "");
    return srcIsServer && !destIsServer ? j.getString("dest_ip", src) : src;
  }

  private static long time(String text) {
    if (text == null) {
      return DnsRecord.UNKNOWN_TIME;
    }
    try {
      return OffsetDateTime.parse(text, EVE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return DnsRecord.UNKNOWN_TIME; // a record without a usable time is still a record
    }
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>(a == null ? 0 : a.size());
    for (int i = 0; a != null && i < a.size(); i++) {
      if (a.getValue(i) != null) {
        out.add(String.valueOf(a.getValue(i)));
      }
    }
    return out;
  }
}
