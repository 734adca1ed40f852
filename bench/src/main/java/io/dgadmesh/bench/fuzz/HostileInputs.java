package io.dgadmesh.bench.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What a careless or hostile client sends a door: random bytes read as text, control characters,
 * invalid UTF-16 (lone surrogates, which no encoder can send as UTF-8), 10 kB and 10 MB strings,
 * empty labels, IDN edge cases and injection strings, mixed with real-looking names. The same seed
 * gives the same inputs, so a failure can be replayed.
 */
public final class HostileInputs {
  private static final String[] INJECTIONS = {
      "' OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/x}", "=cmd|' /C calc'!A0",
      "+SUM(1,1)", "@SUM(1)", "-2+3", "../../etc/passwd", "%00", "%2e%2e%2f", "a\r\nSET injected 1", "]]--", "*",
      "dgad:nodes", "domains_todo", "dgad:invalid", "{\"domains\": []}", "\\u0000", "SHUTDOWN", "\"; DROP TABLE x; --",
      "xn--", "xn--zz", "xn--ls8h.la", "-leading.com", "trailing-.com", "a..com", ".com", "com.", ".", "..",
      "under_score.example.com", "_dmarc.example.com", "1.2.3.4", "[::1]", "localhost", "4.3.2.1.in-addr.arpa"};
  private static final String[] IDN = {
      "bücher.de", "straße.de", "ΑΒΓ.gr", "例え.jp", "😀.la", "a\u200dB.com", "\u202Eevil.com", "ｅｘａｍｐｌｅ.com",
      "xn--bcher-kva.de", "пример.рф", "مثال.إختبار", "e\u0301xample.com"};
  private static final String[] TLDS = {".com", ".net", ".org", ".de", ".co.uk", ".info", ".ru", ".cn"};

  private HostileInputs() {}

  /**
   * {@code n} distinct inputs; {@code huge} of them 10 MB long (keep it small: each one is held in
   * memory while it is sent).
   */
  public static List<String> generate(int n, int huge, long seed) {
    Random r = new Random(seed);
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < huge; i++) {
      out.add("h" + i + "x".repeat(10 << 20));
    }
    for (String s : INJECTIONS) {
      out.add(s);
    }
    for (String s : IDN) {
      out.add(s);
    }
    int attempts = 0;
    while (out.size() < n && attempts++ < n * 4) {
      out.add(one(r));
    }
    return new ArrayList<>(out).subList(0, Math.min(n, out.size()));
  }

  private static String one(Random r) {
    return switch (r.nextInt(12)) {
      case 0, 1, 2 -> letters(r, 6 + r.nextInt(20)) + TLDS[r.nextInt(TLDS.length)];
      case 3 -> "www." + letters(r, 3 + r.nextInt(8)) + "-" + letters(r, 3 + r.nextInt(8)) + TLDS[r.nextInt(TLDS.length)];
      case 4 -> randomChars(r, 1 + r.nextInt(40), 0x20, 0x7f);
      case 5 -> randomChars(r, 1 + r.nextInt(40), 0, 0x20) + ".com";
      case 6 -> randomChars(r, 1 + r.nextInt(30), 0x80, 0x3000);
      case 7 -> letters(r, 3) + (char) (0xD800 + r.nextInt(0x800)) + ".com"; // a lone surrogate
      case 8 -> letters(r, 10_000 + r.nextInt(100)) + ".com";
      case 9 -> letters(r, 60 + r.nextInt(10)) + "." + letters(r, 5) + ".com"; // a label over 63
      case 10 -> IDN[r.nextInt(IDN.length)].replace(".", r.nextInt(1000) + ".");
      default -> INJECTIONS[r.nextInt(INJECTIONS.length)] + r.nextInt(100_000);
    };
  }

  private static String letters(Random r, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = (char) ('a' + r.nextInt(26));
    }
    return new String(c);
  }

  private static String randomChars(Random r, int n, int from, int to) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) (from + r.nextInt(to - from)));
    }
    return b.toString();
  }
}
