package io.dgadmesh.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dgadmesh.model.SuffixList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a name becomes dgad 4.x's words, and what the classifiers score for each. */
class Dgad4WordsTest {

  private static final int NO_CAP = 10_000;

  @Test
  void theRegistrableLabelFirstThenEachSubdomainLabelInOrder() {
    Dgad4Words w = Dgad4Words.of("a.b.example.com", NO_CAP, SuffixList.bundled());
    assertEquals(List.of("example", "a", "b"), w.values());
    // the name as sent (its own result, as every door gives it), then each label with the name's suffix
    assertEquals(List.of("a.b.example.com", "a.com", "b.com"), w.names());
  }

  @Test
  void theNameIsSentAsItCameAndTheWordsAreNormalised() {
    Dgad4Words w = Dgad4Words.of(" Mail.Example.CO.UK. ", NO_CAP, SuffixList.bundled());
    assertEquals(List.of("example", "mail"), w.values());
    assertEquals(List.of(" Mail.Example.CO.UK. ", "mail.co.uk"), w.names());
  }

  @Test
  void aLeadingWwwIsDroppedAndNoOther() {
    assertEquals(List.of("google", "mail"), Dgad4Words.of("www.mail.google.com", NO_CAP, SuffixList.bundled()).values());
    assertEquals(List.of("google"), Dgad4Words.of("www.google.com", NO_CAP, SuffixList.bundled()).values());
    assertEquals(List.of("google", "mail", "www"), Dgad4Words.of("mail.www.google.com", NO_CAP, SuffixList.bundled()).values());
    assertEquals(List.of("google", "www"), Dgad4Words.of("www.www.google.com", NO_CAP, SuffixList.bundled()).values());
    // www as the registrable label is the word that is judged, never dropped
    assertEquals(List.of("www"), Dgad4Words.of("www.co.uk", NO_CAP, SuffixList.bundled()).values());
  }

  @Test
  void aRepeatedSubdomainLabelIsOneWordAsInDgad() {
    assertEquals(List.of("example", "a", "b"), Dgad4Words.of("a.b.a.b.example.com", NO_CAP, SuffixList.bundled()).values());
    // dgad makes the subdomain labels a set, apart from the registrable label
    assertEquals(List.of("example", "example"), Dgad4Words.of("example.example.com", NO_CAP, SuffixList.bundled()).values());
  }

  @Test
  void theSuffixIsThePublicSuffixListsWithItsPrivateSection() {
    Dgad4Words w = Dgad4Words.of("a.xyz.duckdns.org", NO_CAP, SuffixList.bundled());
    assertEquals(List.of("xyz", "a"), w.values());
    assertEquals(List.of("a.xyz.duckdns.org", "a.duckdns.org"), w.names());
    Dgad4Words unknown = Dgad4Words.of("a.b.internal", NO_CAP, SuffixList.bundled());
    assertEquals(List.of("b", "a"), unknown.values(), "no public suffix: the last two labels, as the model reads it");
    assertEquals(List.of("a.b.internal", "a.internal"), unknown.names());
    assertEquals(List.of("localhost"), Dgad4Words.of("localhost", NO_CAP, SuffixList.bundled()).values());
  }

  /** With classifier.pslPath, the words follow the list the model reads, not the bundled one. */
  @Test
  void theWordsFollowTheNodesSuffixList(@TempDir Path dir) throws Exception {
    // the bundled list without its private section: duckdns.org is no suffix there
    String bundled;
    try (var in = SuffixList.class.getResourceAsStream(SuffixList.BUNDLED_PSL)) {
      bundled = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Path psl = dir.resolve("psl.dat");
    Files.writeString(psl, bundled.substring(0, bundled.indexOf("===BEGIN PRIVATE DOMAINS===")));
    SuffixList icannOnly = SuffixList.forSetting("classifier.pslPath", psl.toString());
    Dgad4Words w = Dgad4Words.of("a.xyz.duckdns.org", NO_CAP, icannOnly);
    assertEquals(List.of("duckdns", "a", "xyz"), w.values());
    assertEquals(List.of("a.xyz.duckdns.org", "a.org", "xyz.org"), w.names());
  }

  @Test
  void anInvalidNameIsSentAloneForTheClassifiersToRefuse() {
    for (String bad : List.of("bad_name!.com", "", "a..b", "1.2.3.4", "x".repeat(300))) {
      Dgad4Words w = Dgad4Words.of(bad, NO_CAP, SuffixList.bundled());
      assertEquals(List.of(), w.values(), bad);
      assertEquals(List.of(bad), w.names(), bad);
    }
  }

  @Test
  void aNameOfTheMostLabelsGivesOneWordPerDistinctLabelAndTheCapHolds() {
    // 126 labels in 253 characters (a name of 127 labels needs a one-letter top-level domain):
    // 124 subdomain labels, 36 of them distinct
    String labels = IntStream.range(0, 124).mapToObj(i -> Character.toString("abcdefghijklmnopqrstuvwxyz0123456789".charAt(i % 36)))
        .collect(Collectors.joining("."));
    String name = labels + ".e.com";
    assertEquals(253, name.length());
    Dgad4Words w = Dgad4Words.of(name, NO_CAP, SuffixList.bundled());
    assertEquals(37, w.values().size());
    assertEquals(w.values().size(), w.names().size());
    assertEquals("e", w.values().get(0));
    assertEquals("z.com", w.names().get(26));

    Dgad4Words capped = Dgad4Words.of("a.b.c.d.example.com", 3, SuffixList.bundled());
    assertEquals(List.of("example", "a", "b"), capped.values());
    assertEquals(List.of("a.b.c.d.example.com", "a.com", "b.com"), capped.names());
    assertEquals(List.of("example"), Dgad4Words.of("a.b.example.com", 1, SuffixList.bundled()).values());
  }
}
