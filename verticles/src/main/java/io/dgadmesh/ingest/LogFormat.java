package io.dgadmesh.ingest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The DNS log formats read, by the id users give ({@code --input-format}). */
public enum LogFormat {
  ZEEK("zeek"),
  ZEEK_JSON("zeek-json"),
  EVE("eve"),
  BIND("bind"),
  DNSMASQ("dnsmasq"),
  PCAP("pcap"),
  CSV("csv"),
  LIST("list");

  private final String id;

  LogFormat(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** True for the formats a single line can be parsed in alone (what a Kafka message holds). */
  public boolean oneLinePerRecord() {
    return this == ZEEK_JSON || this == EVE;
  }

  /** The format with this id (any case; "pcapng" is pcap); an unknown id names the known ones. */
  public static LogFormat fromId(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("no input format given: one of " + ids());
    }
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    if (wanted.equals("pcapng")) {
      return PCAP;
    }
    for (LogFormat f : values()) {
      if (f.id.equals(wanted)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown input format '" + id.trim() + "': one of " + ids());
  }

  public static String ids() {
    return Arrays.stream(values()).map(LogFormat::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
