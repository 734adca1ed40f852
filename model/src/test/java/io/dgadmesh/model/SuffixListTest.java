package io.dgadmesh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InternetDomainName;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuffixListTest {

  private final SuffixList list = SuffixList.bundled();

  @Test
  void theProjectListPutsFreeSubdomainParentsBesideThePsl() {
    assertEquals(new InputUnit.Parts("xkqwjvbn", "co.cc"), list.split("xkqwjvbn.co.cc"));
    assertEquals(new InputUnit.Parts("abc", "cz.cc"), list.split("www.abc.cz.cc"));
    // without the project list, the name is read as "co.cc": what bamital's rows looked like before
    assertEquals(new InputUnit.Parts("co", "cc"), SuffixList.pslOnly(null).split("xkqwjvbn.co.cc"));
    assertNotEquals(list.sha256(), SuffixList.pslOnly(null).sha256());
  }

  @Test
  void wildcardsExceptionsAndUnknownTopLevelDomainsFollowThePslAlgorithm() {
    assertEquals(new InputUnit.Parts("google", "co.uk"), list.split("mail.google.co.uk"));
    assertEquals(new InputUnit.Parts("x", "duckdns.org"), list.split("a.x.duckdns.org"));
    assertEquals(new InputUnit.Parts("foo", "bar.ck"), list.split("foo.bar.ck")); // *.ck
    assertEquals(new InputUnit.Parts("www", "ck"), list.split("a.www.ck"));       // !www.ck
    assertEquals(new InputUnit.Parts("host", "internal"), list.split("a.host.internal")); // no rule: last label
    assertEquals(new InputUnit.Parts("ddns", "net"), list.split("ddns.net"));     // itself a suffix
    assertEquals(new InputUnit.Parts("localhost", ""), list.split("localhost"));
  }

  /** Where the bundled list and Guava's copy (a newer Guava) agree on the rules, so do the splits. */
  @Test
  void splitsAgreeWithGuavasCopyOfThePsl() {
    for (String host : List.of("mail.google.co.uk", "x.duckdns.org", "www.bbc.co.uk", "a.b.c.example.com",
        "d3c33hcgiwev3.cloudfront.net", "foo.github.io", "shop.example.com.au", "xn--80ak6aa92e.com")) {
      InternetDomainName n = InternetDomainName.from(host);
      String top = n.topPrivateDomain().toString();
      InputUnit.Parts p = list.split(host);
      assertEquals(top, p.label() + "." + p.suffix(), host);
    }
  }

  @Test
  void theHashNamesTheRulesNotTheFile(@TempDir Path dir) throws Exception {
    String psl;
    try (InputStream in = SuffixList.class.getResourceAsStream(SuffixList.BUNDLED_PSL)) {
      psl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path reordered = dir.resolve("reordered.dat");
    List<String> lines = new java.util.ArrayList<>(psl.lines().toList());
    java.util.Collections.reverse(lines);
    Files.write(reordered, lines);
    assertEquals(list.sha256(), SuffixList.fromFile(reordered).sha256());

    Path more = dir.resolve("more.dat");
    Files.writeString(more, psl + "\nnewfreehost.example\n");
    SuffixList withMore = SuffixList.fromFile(more);
    assertNotEquals(list.sha256(), withMore.sha256());
    assertEquals(new InputUnit.Parts("x", "newfreehost.example"), withMore.split("x.newfreehost.example"));
  }

  @Test
  void aFileThatIsNoSuffixListIsRefused(@TempDir Path dir) throws Exception {
    Path tiny = dir.resolve("tiny.dat");
    Files.writeString(tiny, "com\nnet\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SuffixList.fromFile(tiny)).getMessage()
        .contains("not a Public Suffix List"));
    assertThrows(java.io.UncheckedIOException.class, () -> SuffixList.fromFile(dir.resolve("missing.dat")));
  }
}
