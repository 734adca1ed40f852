package io.dgadmesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig.ConfigException;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowlistTest {

  private static Allowlist parse(String text) throws Exception {
    return Allowlist.parse(new BufferedReader(new StringReader(text)), "test.txt");
  }

  @Test
  void anEntryCoversItselfAndEveryNameUnderItButNotLookAlikes() throws Exception {
    Allowlist a = parse("# comment\n\nExample.COM.  # ours\n*.cdn.net\n.corp.local\n");
    assertEquals(3, a.size());
    assertEquals("example.com", a.entryFor("example.com"));
    assertEquals("example.com", a.entryFor("a.b.example.com"));
    assertEquals("cdn.net", a.entryFor("d1a2b3.cdn.net"));
    assertEquals("corp.local", a.entryFor("www.example.org.corp.local"));
    assertNull(a.entryFor("notexample.com"), "a suffix match is label-wise, not by characters");
    assertNull(a.entryFor("example.com.evil.net"));
    assertFalse(a.covers("com"));
  }

  @Test
  void aBadLineIsAStartUpErrorNamingTheLine() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("example.com\nnot a domain\n"));
    assertTrue(e.getMessage().contains("test.txt line 2"), e.getMessage());
    assertTrue(e.getMessage().contains("classifier.allowlistPath"), e.getMessage());
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    ConfigException e = assertThrows(ConfigException.class, () -> Allowlist.load(dir.resolve("none.txt").toString()));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  @Test
  void theShippedListHasNoEntriesAndTheEnvironmentPointsAtAnother(@TempDir Path dir) throws Exception {
    assertEquals(0, Allowlist.load("").size());
    Path f = dir.resolve("allow.txt");
    Files.writeString(f, "mine.example\n");
    var conf = NodeConfig.load(null, Map.of("DGAD_ALLOWLIST", f.toString()));
    Allowlist a = NodeSettings.read(conf).classifier().allowlist();
    assertTrue(a.covers("x.mine.example"));
  }
}
