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

  /**
   * A name of 4 million CJK ideographs: Java's IDNA alone takes seconds over it (about half a
   * microsecond per character), on the classifier's event loop. Such input is refused by its
   * length first, and no reason ever holds more than a short part of the input.
   */
  @Test
  void aHugeInputIsRefusedByItsLengthAtOnceWithAShortReason() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; b.length() < 4_000_000; i++) {
      b.append((char) (0x4e00 + i % (0x9fa6 - 0x4e00))); // assigned in Unicode 3.2, which Java's IDNA uses
    }
    String huge = b + ".com";
    long t0 = System.nanoTime();
    HostnameNormalizer.Result r = HostnameNormalizer.normalize(huge);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertFalse(r.ok());
    assertTrue(r.error().contains("253"), r.error());
    assertTrue(ms < 500, "refused after " + ms + " ms");
    for (String input : List.of(huge, "a".repeat(1 << 20), "a-" + "\u00e9".repeat(900) + ".com",
        "x".repeat(1000) + "!.com", ("a".repeat(63) + ".").repeat(15) + "com")) {
      String reason = HostnameNormalizer.normalize(input).error();
      assertTrue(reason.length() < 200, reason);
    }
  }

  private static void assertReject(String input, String reasonPart) {
    HostnameNormalizer.Result r = HostnameNormalizer.normalize(input);
    assertFalse(r.ok(), input);
    assertNull(r.host());
    assertTrue(r.error().contains(reasonPart), r.error());
  }
}
