package io.dgadmesh.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Small helpers for the JSON-line parsers (Zeek JSON, eve.json). */
final class Json {
  private Json() {}

  static boolean blank(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  /** A string value, or {@code otherwise} for null or a non-string (whose children are skipped). */
  static String text(JsonParser p, JsonToken t, String otherwise) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return otherwise;
  }

  /** A time as epoch number or ISO 8601 string; {@link Timestamps#INVALID} when unreadable. */
  static long time(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
      return Timestamps.epochNumberToMillis(p.getDoubleValue());
    }
    if (t == JsonToken.VALUE_STRING) {
      return Timestamps.isoToMillis(p.getText());
    }
    if (t == JsonToken.VALUE_NULL) {
      return DnsRecord.UNKNOWN_TIME;
    }
    p.skipChildren();
    return Timestamps.INVALID;
  }

  /** An exception's first line, short enough for a problem report. */
  static String brief(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl);
    }
    return m.length() > 120 ? m.substring(0, 120) + "..." : m;
  }
}
