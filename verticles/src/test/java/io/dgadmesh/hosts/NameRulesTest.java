package io.dgadmesh.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Each name rule on the names issue 13 lists as real DNS that is not a DGA. */
class NameRulesTest {

  private static NameScope scope(String q) {
    return NameRules.parse(q).scope();
  }

  @Test
  void publicNamesAreJudgedOnTheirRegistrableDomain() {
    NameRules.Parsed p = NameRules.parse("Mail.Google.co.uk.");
    assertEquals(NameScope.PUBLIC, p.scope());
    assertEquals("mail.google.co.uk", p.name());
    assertEquals("google.co.uk", p.registrableDomain());
    assertNull(p.sharedSuffixOwner());
    assertEquals("googlevideo.com", NameRules.parse("r3---sn-abc.googlevideo.com").registrableDomain());
  }

  @Test
  void namesUnderAProviderSuffixKnowTheirProvider() {
    NameRules.Parsed p = NameRules.parse("d1a2b3c4.cloudfront.net");
    assertEquals(NameScope.PUBLIC, p.scope());
    assertEquals("d1a2b3c4.cloudfront.net", p.registrableDomain());
    assertEquals("cloudfront.net", p.sharedSuffixOwner());
  }

  @Test
  void serviceNamesAreNeverEvidenceButKeepTheirDomain() {
    NameRules.Parsed srv = NameRules.parse("_ldap._tcp.dc._msdcs.corp.example.com");
    assertEquals(NameScope.SERVICE, srv.scope());
    assertEquals("example.com", srv.registrableDomain());
    NameRules.Parsed dkim = NameRules.parse("sel1._domainkey.example.org");
    assertEquals(NameScope.SERVICE, dkim.scope());
    assertEquals("example.org", dkim.registrableDomain());
    assertEquals(NameScope.SERVICE, scope("_dmarc.example.org"));
  }

  @Test
  void chromeProbesAndLanNamesAreSingleLabel() {
    assertEquals(NameScope.SINGLE_LABEL, scope("qwhdkeiruty"));
    assertEquals(NameScope.SINGLE_LABEL, scope("wpad"));
  }

  @Test
  void reverseLookupsAreArpa() {
    assertEquals(NameScope.ARPA, scope("4.3.2.1.in-addr.arpa"));
    assertEquals(NameScope.ARPA, scope("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa"));
    assertEquals(NameScope.ARPA, scope("printer.home.arpa"));
  }

  @Test
  void searchDomainLeftoversAndInternalZonesAreNotPublic() {
    assertEquals(NameScope.NOT_PUBLIC, scope("www.example.com.corp.local"));
    assertEquals(NameScope.NOT_PUBLIC, scope("qwhdkeiruty.corp.local"));
    assertEquals(NameScope.NOT_PUBLIC, scope("nas.lan"));
    assertEquals(NameScope.NOT_PUBLIC, scope("co.uk")); // a bare public suffix
  }

  @Test
  void alternativeRootsAreJudged() {
    NameRules.Parsed p = NameRules.parse("aabegiagcnpq.bazar");
    assertEquals(NameScope.PUBLIC, p.scope());
    assertEquals("aabegiagcnpq.bazar", p.registrableDomain());
    assertEquals("xyz.bit", NameRules.parse("www.xyz.bit").registrableDomain());
  }

  @Test
  void blocklistLookupsAreDnsbl() {
    assertEquals(NameScope.DNSBL, scope("4.3.2.1.zen.spamhaus.org"));
    assertEquals(NameScope.DNSBL, scope("example.com.dbl.spamhaus.org"));
    assertEquals(NameScope.DNSBL, scope("2.0.0.127.bl.spamcop.net"));
    // An address in front of a zone no list names is still a lookup about that address.
    assertEquals(NameScope.DNSBL, scope("9.8.7.6.rbl.some-isp.net"));
    // Not an address: four labels, one of them over 255.
    assertEquals(NameScope.PUBLIC, scope("1.2.3.456.example.com"));
  }

  @Test
  void allowlistedNamesAreNotEvidence() {
    NameRules.Parsed p = NameRules.parse("x9k2j4h5.example-cdn.com", n -> n.endsWith(".example-cdn.com"));
    assertEquals(NameScope.ALLOWLISTED, p.scope());
    assertEquals("example-cdn.com", p.registrableDomain());
  }

  @Test
  void namesTheNormaliserRefusesSayWhy() {
    NameRules.Parsed p = NameRules.parse("bad name!.com");
    assertEquals(NameScope.REFUSED, p.scope());
    assertNotNull(p.error());
    assertEquals(NameScope.REFUSED, scope(""));
    assertEquals(NameScope.REFUSED, scope(null));
    assertEquals(NameScope.REFUSED, scope("10.1.2.3"));
  }
}
