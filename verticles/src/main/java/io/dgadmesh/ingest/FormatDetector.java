package io.dgadmesh.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decides a log's format from its first bytes when the user gives none: capture magic numbers
 * first, then the shape of the first lines (Zeek's {@code #separator}/{@code #fields} header, JSON
 * keys, BIND's {@code client ... query:} and dnsmasq's {@code query[...]}, a CSV header naming a
 * name column); anything else is read as a plain list of names. gzip is unwrapped before this.
 */
public final class FormatDetector {
  /** How many lines of the head are looked at. */
  static final int LINES = 50;

  private FormatDetector() {}

  public static boolean isPcap(byte[] head, int len) {
    if (len < 4) {
      return false;
    }
    int magic = (head[0] & 0xFF) << 24 | (head[1] & 0xFF) << 16 | (head[2] & 0xFF) << 8 | (head[3] & 0xFF);
    return magic == 0xA1B2C3D4 || magic == 0xD4C3B2A1 || magic == 0xA1B23C4D || magic == 0x4D3CB2A1
        || magic == PcapNgFrames.SECTION_HEADER;
  }

  public static boolean isPcapNg(byte[] head, int len) {
    return len >= 4 && head[0] == 0x0A && head[1] == 0x0D && head[2] == 0x0D && head[3] == 0x0A;
  }

  public static boolean isGzip(byte[] head, int len) {
    return len >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
  }

  /** The format of a log whose first {@code len} bytes are {@code head}. */
  public static LogFormat detect(byte[] head, int len, CsvColumns csv) {
    if (isPcap(head, len)) {
      return LogFormat.PCAP;
    }
    String text = new String(head, 0, len, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\n", LINES + 1);
    int seen = 0;
    String first = null;
    boolean bind = false;
    boolean dnsmasq = false;
    for (int i = 0; i < lines.length && seen < LINES; i++) {
      // The last piece may be a line cut by the end of the head: it is still looked at.
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      seen++;
      if (first == null) {
        first = line;
      }
      if (line.startsWith("#separator") || line.startsWith("#fields")) {
        return LogFormat.ZEEK;
      }
      if (line.indexOf("client ") >= 0 && line.indexOf(": query: ") > 0) {
        bind = true;
      }
      if ((line.indexOf("query[") >= 0 && line.indexOf(" from ") > 0) || line.indexOf("dnsmasq[") >= 0) {
        dnsmasq = true;
      }
    }
    if (first == null) {
      return LogFormat.LIST;
    }
    if (first.startsWith("{")) {
      if (first.contains("\"event_type\"")) {
        return LogFormat.EVE;
      }
      return first.contains("\"query\"") || first.contains("\"id.orig_h\"") ? LogFormat.ZEEK_JSON : LogFormat.EVE;
    }
    if (bind) {
      return LogFormat.BIND;
    }
    if (dnsmasq) {
      return LogFormat.DNSMASQ;
    }
    if (csvHeader(first, csv)) {
      return LogFormat.CSV;
    }
    return LogFormat.LIST;
  }

  private static boolean csvHeader(String line, CsvColumns csv) {
    String lower = line.toLowerCase(Locale.ROOT);
    for (String sep : new String[] {",", "\t", ";"}) {
      if (!lower.contains(sep)) {
        continue;
      }
      for (String field : lower.split(sep, -1)) {
        String name = field.strip();
        if (name.length() >= 2 && name.charAt(0) == '"' && name.endsWith("\"")) {
          name = name.substring(1, name.length() - 1);
        }
        if (csv != null && csv.name() != null ? name.equalsIgnoreCase(csv.name()) : CsvColumns.NAME.contains(name)) {
          return true;
        }
      }
    }
    return false;
  }
}
