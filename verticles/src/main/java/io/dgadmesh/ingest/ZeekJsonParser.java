package io.dgadmesh.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Zeek's {@code dns.log} as JSON lines (Zeek's {@code LogAscii::use_json}, and what its Kafka
 * writer, Filebeat or Vector pass on). Stateless, so one Kafka message parses on its own. Fields:
 * {@code ts} (epoch seconds, epoch milliseconds, or an ISO 8601 string), {@code id.orig_h} (or
 * {@code id: {orig_h}}), {@code query}, {@code qtype_name} (else {@code qtype}), {@code
 * rcode_name} (else {@code rcode}), {@code answers}. Read with Jackson's streaming parser: no tree.
 */
public final class ZeekJsonParser implements LineParser {
  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public LineOutcome parse(byte[] buf, int off, int len, Consumer<DnsRecord> out) {
    if (Json.blank(buf, off, len)) {
      return LineOutcome.SKIPPED;
    }
    try (JsonParser p = JSON.createParser(buf, off, len)) {
      return parse(p, out);
    } catch (IOException e) {
      return LineOutcome.malformed("not JSON: " + Json.brief(e));
    }
  }

  private LineOutcome parse(JsonParser p, Consumer<DnsRecord> out) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return LineOutcome.malformed("not a JSON object");
    }
    long time = DnsRecord.UNKNOWN_TIME;
    String client = "";
    String query = null;
    String qtypeName = "";
    String qtype = "";
    String rcodeName = "";
    String rcode = "";
    List<String> answers = List.of();
    boolean sawTs = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "ts" -> {
          sawTs = true;
          time = Json.time(p, t);
        }
        case "id.orig_h" -> client = Json.text(p, t, "");
        case "id" -> {
          if (t == JsonToken.START_OBJECT) {
            client = origin(p, client);
          } else {
            p.skipChildren();
          }
        }
        case "query" -> query = Json.text(p, t, null);
        case "qtype_name" -> qtypeName = Json.text(p, t, "");
        case "qtype" -> qtype = t == JsonToken.VALUE_NUMBER_INT ? DnsNames.type(p.getIntValue()) : skip(p);
        case "rcode_name" -> rcodeName = Json.text(p, t, "");
        case "rcode" -> rcode = t == JsonToken.VALUE_NUMBER_INT ? DnsNames.rcode(p.getIntValue()) : skip(p);
        case "answers" -> answers = strings(p, t);
        default -> p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      return LineOutcome.malformed("not a JSON object");
    }
    if (p.nextToken() != null) {
      return LineOutcome.malformed("more than one JSON value on the line");
    }
    if (sawTs && time == Timestamps.INVALID) {
      return LineOutcome.malformed("ts is neither epoch seconds nor ISO 8601");
    }
    String name = Text.queryName(query);
    if (name == null) {
      return LineOutcome.SKIPPED;
    }
    if (Text.overLong(name)) {
      return LineOutcome.overLimit(Text.OVER_LONG_NAME);
    }
    out.accept(new DnsRecord(time, client, name, qtypeName.isEmpty() ? qtype : qtypeName,
        rcodeName.isEmpty() ? rcode : rcodeName, answers));
    return LineOutcome.ACCEPTED;
  }

  private static String origin(JsonParser p, String client) throws IOException {
    String found = client;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals("orig_h")) {
        found = Json.text(p, t, found);
      } else {
        p.skipChildren();
      }
    }
    return found;
  }

  private static String skip(JsonParser p) throws IOException {
    p.skipChildren();
    return "";
  }

  static List<String> strings(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return List.of();
    }
    List<String> list = new ArrayList<>(4);
    JsonToken item;
    while ((item = p.nextToken()) != JsonToken.END_ARRAY && item != null) {
      if (item == JsonToken.VALUE_STRING) {
        list.add(p.getText());
      } else {
        p.skipChildren();
      }
    }
    return list;
  }
}
