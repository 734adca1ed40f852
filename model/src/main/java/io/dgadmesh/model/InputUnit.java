package io.dgadmesh.model;

import java.util.Locale;

/**
 * What part of a host name the network sees. The suffix list ({@link SuffixList}: the Public
 * Suffix List with its private section, and the project's additions) decides where the
 * registrable name starts, so
 * {@code x.duckdns.org} is judged on {@code x} and {@code mail.google.co.uk} on {@code google}.
 */
public enum InputUnit {
  /** The label left of the public suffix only: {@code google}. */
  LABEL("label"),
  /** Label plus public suffix: {@code google.co.uk}, {@code x.duckdns.org}. */
  REGISTRABLE_DOMAIN("registrable_domain"),
  /** The whole host name as given. */
  FQDN("fqdn");

  private final String id;

  InputUnit(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static InputUnit fromId(String id) {
    for (InputUnit u : values()) {
      if (u.id.equals(id.toLowerCase(Locale.ROOT))) {
        return u;
      }
    }
    throw new IllegalArgumentException("unknown input unit '" + id + "' (label, registrable_domain, fqdn)");
  }

  /** Splits a normalised host into registrable label and public suffix. */
  public record Parts(String label, String suffix) {}

  /** Splits with the bundled suffix list ({@link SuffixList#bundled}). */
  public static Parts split(String host) {
    return SuffixList.bundled().split(host);
  }

  /** The string the network reads for this host, at most {@code maxChars} long, with the bundled suffix list. */
  public String extract(String host, int maxChars) {
    return extract(host, maxChars, SuffixList.bundled());
  }

  /** The string the network reads for this host, at most {@code maxChars} long. */
  public String extract(String host, int maxChars, SuffixList suffixes) {
    switch (this) {
      case FQDN:
        return host.length() <= maxChars ? host : host.substring(host.length() - maxChars);
      case LABEL: {
        String label = suffixes.split(host).label();
        return label.length() <= maxChars ? label : label.substring(0, maxChars);
      }
      default: {
        Parts p = suffixes.split(host);
        if (p.suffix().isEmpty()) {
          return p.label().length() <= maxChars ? p.label() : p.label().substring(0, maxChars);
        }
        int room = maxChars - 1 - p.suffix().length();
        if (room <= 0) {
          String whole = p.label() + "." + p.suffix();
          return whole.substring(0, maxChars);
        }
        // Keep the suffix whole and cut the label's tail: both ends carry signal, the suffix more so.
        String label = p.label().length() <= room ? p.label() : p.label().substring(0, room);
        return label + "." + p.suffix();
      }
    }
  }
}
