package io.dgadmesh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostnameNormalizerTest {

  @Test
  void normalisesCaseWhitespaceTrailingDotAndIdn() {
    assertEquals("example.com", HostnameNormalizer.normalize("  Example.COM. ").host());
    assertEquals("xn--bcher-kva.example", HostnameNormalizer.normalize("bücher.example").host());
  }

  @Test
  void rejectsWithAReason() {
    assertReject("", "empty");
    assertReject("   ", "empty");
    assertReject("a..b.com", "empty label");
    assertReject("a".repeat(64) + ".com", "63");
    assertReject(("a".repeat(60) + ".").repeat(5) + "com", "253");
    assertReject("<img src=x onerror=alert(1)>.com", "characters outside a host name");
    assertReject("-bad.com", "characters outside a host name");
    assertReject("192.168.1.1", "IP address");
  }

  private static void assertReject(String input, String reasonPart) {
    HostnameNormalizer.Result r = HostnameNormalizer.normalize(input);
    assertFalse(r.ok(), input);
    assertNull(r.host());
    assertTrue(r.error().contains(reasonPart), r.error());
  }
}
