package io.dgadmesh.hosts;

/**
 * What kind of DNS name a query is, decided from the name alone ({@link NameRules#scopeOf}). Only
 * {@link #PUBLIC} names can be evidence that a host runs a DGA; every other scope is real DNS that
 * a healthy network produces in bulk, so it is counted as context and never weighs on the score.
 * Each constant is one named rule of the host score (docs/host-score.md lists them).
 */
public enum NameScope {
  /**
   * A name under a public suffix (or an alternative root's TLD, such as Emercoin's {@code .bazar})
   * that the model judges: the only scope that can be evidence.
   */
  PUBLIC("public", "judged on its registrable domain"),
  /** The normaliser refused it (not a host name); counted, never evidence. */
  REFUSED("refused", "not a host name"),
  /**
   * A label starts with {@code _}: SRV ({@code _ldap._tcp.dc._msdcs.example.com}), DKIM
   * ({@code sel._domainkey.example.com}), DMARC. These ask about a service of a domain the host
   * already knows; the labels are protocol tokens, not names anyone chose.
   */
  SERVICE("service", "SRV, DKIM and other _service names"),
  /**
   * One label only: Chrome's random intranet probes ({@code qwhdkeiruty}), WPAD, LAN host names.
   * A single label never reaches the public DNS as a registrable domain.
   */
  SINGLE_LABEL("single_label", "single-label names (Chrome's intranet probes, LAN names)"),
  /** Under {@code .arpa}: reverse lookups ({@code in-addr.arpa}, {@code ip6.arpa}) and {@code home.arpa}. */
  ARPA("arpa", "reverse lookups and other .arpa names"),
  /**
   * Not under a public suffix: internal zones ({@code corp.local}, {@code .lan}), the search domain
   * appended to a name ({@code www.example.com.corp.local}, also to Chrome's probes), or a bare
   * public suffix. No one can register such a name, so a DGA cannot use it.
   */
  NOT_PUBLIC("not_public", "internal names and search-domain leftovers (no public suffix)"),
  /**
   * A DNS blocklist lookup: a reversed IPv4 or IPv6 address in front of a zone
   * ({@code 4.3.2.1.zen.spamhaus.org}) or a name under a known domain blocklist zone
   * ({@code example.com.dbl.spamhaus.org}). Mail servers send these by the thousand, mostly
   * answered NXDOMAIN; they ask about someone else's address or domain.
   */
  DNSBL("dnsbl", "DNS blocklist lookups"),
  /** The registrable domain (or a suffix of it) is on the operator's allowlist. */
  ALLOWLISTED("allowlisted", "on the allowlist");

  private final String id;
  private final String description;

  NameScope(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** The scope's name in reports and JSON. */
  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  public boolean evidence() {
    return this == PUBLIC;
  }
}
