package io.dgadmesh.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Suricata's {@code eve.json}, {@code event_type: dns}, DNS record versions 1, 2 and 3; other
 * event types are skipped. Stateless: one line (one Kafka message) parses on its own.
 *
 * <p>Suricata logs a lookup twice, as its request and as its response. A response carries all a
 * record needs (the question, rcode, answers), so this parser makes records from responses and
 * leaves requests out unless told to include them (for a sensor that logs requests only). A
 * version 1 answer event describes one answer record, not the question, and gives no record
 * here; a version 1 failure event (NXDOMAIN and the like) names its question and gives one. The
 * file reader ({@link EveLogParser}) pairs requests with responses instead.
 *
 * <p>The client: of a request, {@code src_ip}; of a response, the side that is not port 53 when
 * exactly one side is, else {@code dest_ip} for version 3 (Suricata 8 logs a response from the
 * responder) and {@code src_ip} before (Suricata 7 logged it in the flow's direction).
 */
public final class EveParser implements LineParser {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int DNS_PORT = 53;

  private final boolean includeRequests;
  private final EveEvent event = new EveEvent();

  /** A parser that makes records from responses only. */
  public EveParser() {
    this(false);
  }

  public EveParser(boolean includeRequests) {
    this.includeRequests = includeRequests;
  }

  @Override
  public LineOutcome parse(byte[] buf, int off, int len, Consumer<DnsRecord> out) {
    LineOutcome outcome = parseEvent(buf, off, len, event);
    if (outcome.kind() != LineOutcome.Kind.ACCEPTED && outcome.kind() != LineOutcome.Kind.OVER_LIMIT) {
      return outcome;
    }
    switch (event.kind) {
      case REQUEST -> {
        if (!includeRequests) {
          return outcome.kind() == LineOutcome.Kind.ACCEPTED ? LineOutcome.SKIPPED : outcome;
        }
        for (int i = 0; i < event.names.size(); i++) {
          out.accept(event.record(i, false));
        }
      }
      case RESPONSE, V1_FAILURE -> {
        for (int i = 0; i < event.names.size(); i++) {
          out.accept(event.record(i, true));
        }
      }
      case V1_ANSWER_RECORD -> {
        return LineOutcome.SKIPPED;
      }
    }
    return outcome;
  }

  /**
   * Reads one line into {@code e}. ACCEPTED (or OVER_LIMIT when a question's name was over the
   * limit and left out) means {@code e} holds a dns event; anything else leaves {@code e} unusable.
   */
  LineOutcome parseEvent(byte[] buf, int off, int len, EveEvent e) {
    if (Json.blank(buf, off, len)) {
      return LineOutcome.SKIPPED;
    }
    try (JsonParser p = JSON.createParser(buf, off, len)) {
      return read(p, e);
    } catch (IOException ex) {
      return LineOutcome.malformed("not JSON: " + Json.brief(ex));
    }
  }

  private static final class Top {
    String timestamp;
    String eventType;
    String srcIp = "";
    String destIp = "";
    int srcPort = -1;
    int destPort = -1;
    long flowId = -1;
    boolean sawDns;
    int version;
    String type;
    int id;
    String rrname;
    String rrtype = "";
    String rcode = "";
    boolean hasRrtype;
    String rdata;
  }

  private LineOutcome read(JsonParser p, EveEvent e) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return LineOutcome.malformed("not a JSON object");
    }
    e.names.clear();
    e.types.clear();
    e.answers.clear();
    Top top = new Top();
    boolean overLong = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "timestamp" -> top.timestamp = Json.text(p, t, null);
        case "event_type" -> top.eventType = Json.text(p, t, null);
        case "src_ip" -> top.srcIp = Json.text(p, t, "");
        case "dest_ip" -> top.destIp = Json.text(p, t, "");
        case "src_port" -> top.srcPort = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : skipInt(p);
        case "dest_port" -> top.destPort = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : skipInt(p);
        case "flow_id" -> top.flowId = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : skipInt(p);
        case "dns" -> {
          if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
          } else {
            top.sawDns = true;
            overLong |= dns(p, top, e);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
      return LineOutcome.malformed("not one JSON object");
    }
    if (!"dns".equals(top.eventType)) {
      return LineOutcome.SKIPPED;
    }
    if (!top.sawDns) {
      return LineOutcome.malformed("a dns event without a dns object");
    }
    long time = top.timestamp == null ? DnsRecord.UNKNOWN_TIME : Timestamps.isoToMillis(top.timestamp);
    if (time == Timestamps.INVALID) {
      return LineOutcome.malformed("timestamp is not ISO 8601");
    }
    if (top.type == null) {
      return LineOutcome.malformed("a dns event without a type");
    }
    boolean request;
    switch (top.type) {
      case "request", "query" -> request = true;
      case "response", "answer" -> request = false;
      default -> {
        return LineOutcome.malformed("unknown dns type: " + shown(top.type));
      }
    }
    e.time = time;
    e.flowId = top.flowId;
    e.dnsId = top.id;
    e.rcode = top.rcode;
    e.client = client(top, request);
    if (top.version < 3 && top.rrname != null) {
      // Versions 1 and 2 name one question (or, in a v1 answer event, one answer record) in the dns object.
      String name = Text.queryName(top.rrname);
      if (name != null && Text.overLong(name)) {
        overLong = true;
      } else if (name != null) {
        e.names.add(name);
        e.types.add(top.rrtype);
      }
    }
    if (request) {
      e.kind = EveEvent.Kind.REQUEST;
    } else if (top.version == 0 && top.hasRrtype) {
      e.kind = EveEvent.Kind.V1_ANSWER_RECORD;
      e.answers.clear();
      if (top.rdata != null) {
        e.answers.add(top.rdata);
      }
    } else if (top.version == 0) {
      e.kind = EveEvent.Kind.V1_FAILURE;
    } else {
      e.kind = EveEvent.Kind.RESPONSE;
    }
    if (e.names.isEmpty()) {
      return overLong ? LineOutcome.overLimit(Text.OVER_LONG_NAME) : LineOutcome.SKIPPED;
    }
    return overLong ? LineOutcome.overLimit(Text.OVER_LONG_NAME) : LineOutcome.ACCEPTED;
  }

  /** Reads the dns object; true when a question's name was over the limit and left out. */
  private static boolean dns(JsonParser p, Top top, EveEvent e) throws IOException {
    boolean overLong = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "version" -> top.version = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : skipInt(p);
        case "type" -> top.type = Json.text(p, t, null);
        case "id" -> top.id = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : skipInt(p);
        case "rrname" -> top.rrname = Json.text(p, t, null);
        case "rrtype" -> {
          top.rrtype = Json.text(p, t, "");
          top.hasRrtype = true;
        }
        case "rcode" -> top.rcode = Json.text(p, t, "");
        case "rdata" -> top.rdata = Json.text(p, t, null);
        case "queries" -> overLong |= queries(p, t, e);
        case "answers" -> answers(p, t, e);
        case "grouped" -> grouped(p, t, e);
        default -> p.skipChildren();
      }
    }
    return overLong;
  }

  private static boolean queries(JsonParser p, JsonToken t, EveEvent e) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return false;
    }
    boolean overLong = false;
    JsonToken item;
    while ((item = p.nextToken()) == JsonToken.START_OBJECT) {
      String name = null;
      String type = "";
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("rrname")) {
          name = Json.text(p, v, null);
        } else if (field.equals("rrtype")) {
          type = Json.text(p, v, "");
        } else {
          p.skipChildren();
        }
      }
      String q = Text.queryName(name);
      if (q != null && Text.overLong(q)) {
        overLong = true;
      } else if (q != null) {
        e.names.add(q);
        e.types.add(type);
      }
    }
    if (item != JsonToken.END_ARRAY) {
      p.skipChildren();
    }
    return overLong;
  }

  /** Answer data of the detailed form: {@code rdata} of each answer that has one. */
  private static void answers(JsonParser p, JsonToken t, EveEvent e) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    boolean fromGrouped = !e.answers.isEmpty();
    JsonToken item;
    while ((item = p.nextToken()) == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("rdata") && v == JsonToken.VALUE_STRING && !fromGrouped) {
          e.answers.add(p.getText());
        } else {
          p.skipChildren();
        }
      }
    }
    if (item != JsonToken.END_ARRAY) {
      p.skipChildren();
    }
  }

  /** Answer data of the grouped form ({@code {"A": [...], "CNAME": [...]}}), unless detailed came first. */
  private static void grouped(JsonParser p, JsonToken t, EveEvent e) throws IOException {
    if (t != JsonToken.START_OBJECT || !e.answers.isEmpty()) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      JsonToken v = p.nextToken();
      e.answers.addAll(ZeekJsonParser.strings(p, v));
    }
  }

  private static String client(Top top, boolean request) {
    boolean srcIsServer = top.srcPort == DNS_PORT && top.destPort != DNS_PORT;
    boolean destIsServer = top.destPort == DNS_PORT && top.srcPort != DNS_PORT;
    if (srcIsServer) {
      return top.destIp;
    }
    if (destIsServer) {
      return top.srcIp;
    }
    if (request) {
      return top.srcIp;
    }
    return top.version >= 3 ? top.destIp : top.srcIp;
  }

  private static int skipInt(JsonParser p) throws IOException {
    p.skipChildren();
    return -1;
  }

  private static String shown(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
