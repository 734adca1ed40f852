package io.dgadmesh.hosts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link HostState} as compact JSON (Jackson core, no data binding), for a store such as Redis.
 * Sketch hashes are written as numbers; an evidence entry as the array
 * {@code [unit, owner|null, name, score, family|null, answer, time, queries]}. Reading refuses anything else
 * with an {@link IllegalArgumentException} that says what was wrong.
 */
public final class HostStateJson {

  private static final JsonFactory JSON = new JsonFactory();

  private HostStateJson() {}

  public static String write(HostState s) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("host", s.host());
      g.writeNumberField("queries", s.queries());
      g.writeNumberField("nxdomain", s.nxdomain());
      g.writeNumberField("first", s.firstSeenMillis());
      g.writeNumberField("last", s.lastSeenMillis());
      sketch(g, "names", s.names());
      sketch(g, "domains", s.registrableDomains());
      sketch(g, "dga", s.dgaNames());
      sketch(g, "nxdomains", s.nxdomainRegistrableDomains());
      g.writeObjectFieldStart("families");
      for (Map.Entry<String, Integer> e : s.families().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("context");
      for (Map.Entry<String, Long> e : s.context().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("providers");
      for (Map.Entry<String, Long> e : s.providers().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("evidence");
      for (DomainEvidence e : s.evidence()) {
        g.writeStartArray();
        g.writeString(e.unit());
        if (e.owner() == null) {
          g.writeNull();
        } else {
          g.writeString(e.owner());
        }
        g.writeString(e.name());
        g.writeNumber(e.score());
        if (e.family() == null) {
          g.writeNull();
        } else {
          g.writeString(e.family());
        }
        g.writeString(e.answer().name());
        g.writeNumber(e.timeMillis());
        g.writeNumber(e.queries());
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeNumberField("dropped", s.evidenceDropped());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void sketch(JsonGenerator g, String field, HostState.Sketch s) throws IOException {
    g.writeObjectFieldStart(field);
    g.writeBooleanField("saturated", s.saturated());
    long[] hashes = s.hashes();
    g.writeFieldName("hashes");
    g.writeArray(hashes, 0, hashes.length);
    g.writeEndObject();
  }

  public static HostState read(String json) {
    try (JsonParser p = JSON.createParser(json)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, "a host state object");
      String host = null;
      long queries = 0;
      long nxdomain = 0;
      long first = 0;
      long last = 0;
      long dropped = 0;
      HostState.Sketch names = null;
      HostState.Sketch domains = null;
      HostState.Sketch dga = null;
      HostState.Sketch nxdomains = null;
      Map<String, Integer> families = new LinkedHashMap<>();
      Map<String, Long> context = new LinkedHashMap<>();
      Map<String, Long> providers = new LinkedHashMap<>();
      List<DomainEvidence> evidence = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "host" -> host = text(p, value, field);
          case "queries" -> queries = number(p, value, field);
          case "nxdomain" -> nxdomain = number(p, value, field);
          case "first" -> first = number(p, value, field);
          case "last" -> last = number(p, value, field);
          case "dropped" -> dropped = number(p, value, field);
          case "names" -> names = readSketch(p, value, field);
          case "domains" -> domains = readSketch(p, value, field);
          case "dga" -> dga = readSketch(p, value, field);
          case "nxdomains" -> nxdomains = readSketch(p, value, field);
          case "families" -> {
            expect(value, JsonToken.START_OBJECT, "families object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String k = p.currentName();
              families.put(k, Math.toIntExact(number(p, p.nextToken(), "families." + k)));
            }
          }
          case "context" -> {
            expect(value, JsonToken.START_OBJECT, "context object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String k = p.currentName();
              context.put(k, number(p, p.nextToken(), "context." + k));
            }
          }
          case "providers" -> {
            expect(value, JsonToken.START_OBJECT, "providers object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String k = p.currentName();
              providers.put(k, number(p, p.nextToken(), "providers." + k));
            }
          }
          case "evidence" -> {
            expect(value, JsonToken.START_ARRAY, "evidence array");
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_ARRAY) {
              evidence.add(readEntry(p));
            }
            expect(t, JsonToken.END_ARRAY, "end of the evidence array");
          }
          default -> p.skipChildren();
        }
      }
      if (host == null || names == null || domains == null || dga == null || nxdomains == null) {
        throw new IllegalArgumentException("host state lacks host or a sketch");
      }
      return new HostState(host, queries, nxdomain, first, last, names, domains, dga, nxdomains, families, context,
          providers, evidence, dropped);
    } catch (IOException | ArithmeticException e) {
      throw new IllegalArgumentException("not a host state: " + e.getMessage(), e);
    }
  }

  private static DomainEvidence readEntry(JsonParser p) throws IOException {
    String unit = text(p, p.nextToken(), "evidence unit");
    JsonToken o = p.nextToken();
    String owner = o == JsonToken.VALUE_NULL ? null : text(p, o, "evidence owner");
    String name = text(p, p.nextToken(), "evidence name");
    JsonToken s = p.nextToken();
    if (s != JsonToken.VALUE_NUMBER_FLOAT && s != JsonToken.VALUE_NUMBER_INT) {
      throw new IllegalArgumentException("evidence score is not a number");
    }
    float score = p.getFloatValue();
    JsonToken f = p.nextToken();
    String family = f == JsonToken.VALUE_NULL ? null : text(p, f, "evidence family");
    String answer = text(p, p.nextToken(), "evidence answer");
    long time = number(p, p.nextToken(), "evidence time");
    int queries = Math.toIntExact(number(p, p.nextToken(), "evidence queries"));
    expect(p.nextToken(), JsonToken.END_ARRAY, "end of an evidence entry");
    try {
      return new DomainEvidence(unit, owner, name, score, family, DomainEvidence.Answer.valueOf(answer), time, queries);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad evidence entry for " + unit + ": " + e.getMessage(), e);
    }
  }

  private static HostState.Sketch readSketch(JsonParser p, JsonToken value, String field) throws IOException {
    expect(value, JsonToken.START_OBJECT, field + " sketch");
    boolean saturated = false;
    long[] hashes = new long[0];
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      JsonToken t = p.nextToken();
      if (k.equals("saturated")) {
        saturated = t == JsonToken.VALUE_TRUE;
      } else if (k.equals("hashes")) {
        expect(t, JsonToken.START_ARRAY, field + ".hashes");
        List<Long> list = new ArrayList<>();
        JsonToken n;
        while ((n = p.nextToken()) == JsonToken.VALUE_NUMBER_INT) {
          if (list.size() >= HostEvidence.SKETCH_CAPACITY) {
            throw new IllegalArgumentException(field + " holds more than " + HostEvidence.SKETCH_CAPACITY + " hashes");
          }
          list.add(p.getLongValue());
        }
        expect(n, JsonToken.END_ARRAY, "end of " + field + ".hashes");
        hashes = list.stream().mapToLong(Long::longValue).toArray();
      } else {
        p.skipChildren();
      }
    }
    return new HostState.Sketch(hashes, saturated);
  }

  private static void expect(JsonToken got, JsonToken want, String what) {
    if (got != want) {
      throw new IllegalArgumentException("expected " + what + ", got " + got);
    }
  }

  private static String text(JsonParser p, JsonToken t, String what) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw new IllegalArgumentException(what + " is not a string");
    }
    return p.getText();
  }

  private static long number(JsonParser p, JsonToken t, String what) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT) {
      throw new IllegalArgumentException(what + " is not an integer");
    }
    return p.getLongValue();
  }
}
