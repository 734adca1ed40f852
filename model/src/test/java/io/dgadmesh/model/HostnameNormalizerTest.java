package io.dgadmesh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostnameNormalizerTest {

  @Test
  void normalisesCaseWhitespaceTrailingDotAndIdn() {
    assertEquals("example.com", HostnameNormalizer.normalize("  Example.COM. ").host());
    assertEquals("xn--bcher-kva.example", HostnameNormalizer.normalize("bücher.example").host());
  }

  /** Java's IDN errors name their exception class and append the raw input: neither reaches the reason. */
  @Test
  void anIdnReasonIsPlainAndPrintable() {
    for (String input : List.of("x\uffff\u0007.com", "\u0627\u0644a.com", "\u00e9".repeat(70) + ".com")) {
      String reason = HostnameNormalizer.normalize(input).error();
      assertTrue(reason.contains("is not a valid internationalised name: "), reason);
      assertFalse(reason.contains("java.") || reason.contains("Exception"), reason);
      assertTrue(reason.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "printable ASCII only: " + reason);
    }
    assertTrue(HostnameNormalizer.normalize("\u00e9".repeat(70) + ".com").error().endsWith("the label in the input is too long"));
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
