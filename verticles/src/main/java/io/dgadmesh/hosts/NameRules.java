package io.dgadmesh.hosts;

import com.google.common.net.InternetDomainName;
import io.dgadmesh.model.HostnameNormalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides a queried name's {@link NameScope} and its registrable domain, from the name alone.
 * These are the host score's name rules: each scope other than {@link NameScope#PUBLIC} names a
 * kind of real DNS traffic that is never evidence of a DGA, whatever the name looks like.
 */
public final class NameRules {

  /**
   * DNS blocklist zones that take a domain (not only an address) in front of them, so that the
   * reversed-address test cannot see them; with the address-based zones most mail servers query.
   * A name under one of these is a lookup about someone else's name.
   */
  static final List<String> DNSBL_ZONES = List.of(
      "spamhaus.org", "spamhaus.net", "spamcop.net", "barracudacentral.org", "dnsbl.sorbs.net",
      "cbl.abuseat.org", "surbl.org", "uribl.com", "mailspike.net", "psbl.surriel.com", "uceprotect.net",
      "dnsbl.manitu.net", "dnsbl.dronebl.org", "0spam.org", "dnsbl.spfbl.net", "junkemailfilter.com",
      "senderscore.com", "dnswl.org", "nordspam.com", "all.s5h.net", "gbudb.net", "wpbl.info",
      "backscatterer.org", "spamrats.com", "rbl.interserver.net", "dnsbl.justspam.org", "senderbase.org");

  /**
   * Top-level domains of alternative DNS roots (Emercoin, Namecoin, OpenNIC). No public resolver
   * serves them and the Public Suffix List does not know them, but malware resolves them through
   * its own servers (BazarLoader's .bazar), so a name under one is judged like a public name.
   */
  static final Set<String> ALT_ROOT_TLDS = Set.of("bazar", "coin", "emc", "lib", "bit", "bbs", "chan", "cyb", "dyn",
      "epic", "geek", "gopher", "indy", "libre", "neo", "null", "oss", "oz", "parody", "pirate", "fur");

  private NameRules() {}

  /** A queried name taken apart; {@code error} is set only for {@link NameScope#REFUSED}. */
  public record Parsed(String query, String name, String registrableDomain, String sharedSuffixOwner,
      NameScope scope, String error) {}

  public static Parsed parse(String query) {
    return parse(query, n -> false);
  }

  /**
   * @param allowlisted told the normalised name (a PUBLIC one, with a registrable domain); true
   *     when the operator's allowlist covers it
   */
  public static Parsed parse(String query, Predicate<String> allowlisted) {
    String q = query == null ? "" : query;
    if (hasServiceLabel(q)) {
      // The normaliser refuses underscores; the domain the service belongs to is still worth counting.
      String owner = afterServiceLabels(q);
      HostnameNormalizer.Result r = owner.isEmpty() ? null : HostnameNormalizer.normalize(owner);
      String domain = r != null && r.ok() ? registrableOf(r.host()) : null;
      return new Parsed(q, null, domain, null, NameScope.SERVICE, null);
    }
    HostnameNormalizer.Result r = HostnameNormalizer.normalize(q);
    if (!r.ok()) {
      return new Parsed(q, null, null, null, NameScope.REFUSED, r.error());
    }
    String name = r.host();
    if (name.indexOf('.') < 0) {
      return new Parsed(q, name, null, null, NameScope.SINGLE_LABEL, null);
    }
    if (name.endsWith(".arpa")) {
      return new Parsed(q, name, null, null, NameScope.ARPA, null);
    }
    InternetDomainName idn;
    try {
      idn = InternetDomainName.from(name);
    } catch (IllegalArgumentException e) {
      // Guava refuses a few names the normaliser allows (a last label starting with a digit):
      // none of them is under a public suffix or an alternative root.
      return new Parsed(q, name, null, null, NameScope.NOT_PUBLIC, null);
    }
    String registrable;
    String owner = null;
    if (idn.isUnderPublicSuffix()) {
      registrable = idn.topPrivateDomain().toString();
    } else if (ALT_ROOT_TLDS.contains(name.substring(name.lastIndexOf('.') + 1))) {
      registrable = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
    } else {
      return new Parsed(q, name, null, null, NameScope.NOT_PUBLIC, null);
    }
    if (idn.isUnderRegistrySuffix()) {
      String registry = idn.topDomainUnderRegistrySuffix().toString();
      if (!registry.equals(registrable)) {
        owner = registry;
      }
    }
    if (isDnsbl(name)) {
      return new Parsed(q, name, registrable, owner, NameScope.DNSBL, null);
    }
    if (allowlisted.test(name)) {
      return new Parsed(q, name, registrable, owner, NameScope.ALLOWLISTED, null);
    }
    return new Parsed(q, name, registrable, owner, NameScope.PUBLIC, null);
  }

  /** The registrable domain of a normalised name, or null when it has none. */
  static String registrableOf(String name) {
    try {
      InternetDomainName idn = InternetDomainName.from(name);
      return idn.isUnderPublicSuffix() ? idn.topPrivateDomain().toString() : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static boolean hasServiceLabel(String q) {
    return q.startsWith("_") || q.contains("._");
  }

  /** What follows the last {@code _label}: the domain an SRV, DKIM or DMARC name belongs to. */
  private static String afterServiceLabels(String q) {
    int last = q.lastIndexOf("._");
    int start = last < 0 ? 0 : last + 1;
    int dot = q.indexOf('.', start);
    return dot < 0 ? "" : q.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** A reversed address in front of a zone, or a name under a known blocklist zone. */
  static boolean isDnsbl(String name) {
    for (String zone : DNSBL_ZONES) {
      if (name.endsWith("." + zone)) {
        return true;
      }
    }
    String[] labels = name.split("\\.");
    return reversedIpv4(labels) || reversedIpv6(labels);
  }

  private static boolean reversedIpv4(String[] labels) {
    // Four octets and at least a registrable zone behind them.
    if (labels.length < 6) {
      return false;
    }
    for (int i = 0; i < 4; i++) {
      String l = labels[i];
      if (l.isEmpty() || l.length() > 3 || !l.chars().allMatch(Character::isDigit) || Integer.parseInt(l) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean reversedIpv6(String[] labels) {
    if (labels.length < 34) {
      return false;
    }
    for (int i = 0; i < 32; i++) {
      String l = labels[i];
      if (l.length() != 1 || Character.digit(l.charAt(0), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
