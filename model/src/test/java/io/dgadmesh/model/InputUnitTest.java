package io.dgadmesh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InputUnitTest {

  @Test
  void registrableDomainUsesThePublicSuffixListWithItsPrivateSection() {
    InputUnit u = InputUnit.REGISTRABLE_DOMAIN;
    assertEquals("google.co.uk", u.extract("mail.google.co.uk", 70));
    assertEquals("x.duckdns.org", u.extract("x.duckdns.org", 70));
    assertEquals("d3c33hcgiwev3.cloudfront.net", u.extract("d3c33hcgiwev3.cloudfront.net", 70));
    assertEquals("googlevideo.com", u.extract("r3---sn-ab5l6nzr.googlevideo.com", 70));
    assertEquals("example.internal", u.extract("a.b.example.internal", 70));
    assertEquals("ddns.net", u.extract("ddns.net", 70));
    assertEquals("localhost", u.extract("localhost", 70));
  }

  @Test
  void longUnitsKeepTheSuffixAndCutTheLabel() {
    String label = "a".repeat(63);
    assertEquals("a".repeat(20) + ".co.uk", InputUnit.REGISTRABLE_DOMAIN.extract(label + ".co.uk", 26));
  }

  @Test
  void labelAndFqdnUnits() {
    assertEquals("google", InputUnit.LABEL.extract("mail.google.co.uk", 70));
    assertEquals("mail.google.co.uk", InputUnit.FQDN.extract("mail.google.co.uk", 70));
    assertEquals(InputUnit.FQDN, InputUnit.fromId("fqdn"));
  }
}
