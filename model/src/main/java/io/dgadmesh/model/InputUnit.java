package io.dgadmesh.model;

import com.google.common.net.InternetDomainName;
import java.util.Locale;

/**
 * What part of a host name the network sees. The Public Suffix List (ICANN and private
 * sections, as bundled in Guava) decides where the registrable name starts, so
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

  public static Parts split(String host) {
    try {
      InternetDomainName name = InternetDomainName.from(host);
      if (name.isUnderPublicSuffix()) {
        String top = name.topPrivateDomain().toString();
        int dot = top.indexOf('.');
        return new Parts(top.substring(0, dot), top.substring(dot + 1));
      }
      if (name.hasPublicSuffix()) {
        // The name is itself a public suffix (e.g. "ddns.net"): judge its first label.
        return firstAndRest(host);
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      // Not a name Guava accepts (e.g. unusual syntax): fall back to the last two labels.
    }
    int last = host.lastIndexOf('.');
    if (last < 0) {
      return new Parts(host, "");
    }
    int prev = host.lastIndexOf('.', last - 1);
    return new Parts(host.substring(prev + 1, last), host.substring(last + 1));
  }

  private static Parts firstAndRest(String host) {
    int dot = host.indexOf('.');
    return dot < 0 ? new Parts(host, "") : new Parts(host.substring(0, dot), host.substring(dot + 1));
  }

  /** The string the network reads for this host, at most {@code maxChars} long. */
  public String extract(String host, int maxChars) {
    switch (this) {
      case FQDN:
        return host.length() <= maxChars ? host : host.substring(host.length() - maxChars);
      case LABEL: {
        String label = split(host).label();
        return label.length() <= maxChars ? label : label.substring(0, maxChars);
      }
      default: {
        Parts p = split(host);
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
