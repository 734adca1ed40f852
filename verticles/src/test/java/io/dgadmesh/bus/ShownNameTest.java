package io.dgadmesh.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShownNameTest {

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void shortTextIsKeptWhole() {
    String name = "b".repeat(ShownName.WHOLE_UP_TO_BYTES);
    assertSame(name, ShownName.of(name));
    assertNull(ShownName.of(null));
    assertEquals("", ShownName.of(""));
  }

  @Test
  void longTextIsCutToAPrefixThatSaysHowLongItWas() {
    String name = "a".repeat(3 << 20);
    String shown = ShownName.of(name);
    assertEquals("a".repeat(ShownName.PREFIX_BYTES) + "…(3145728 bytes)", shown);
    assertTrue(utf8(shown) <= ShownName.WHOLE_UP_TO_BYTES, shown);
  }

  @Test
  void theCutNeverSplitsACharacter() {
    // 3-byte characters: 256 is not a multiple of 3, so the prefix stops one short of it.
    String cjk = "域".repeat(1000);
    String shown = ShownName.of(cjk);
    assertEquals("域".repeat(85) + "…(3000 bytes)", shown);
    // 4-byte characters (surrogate pairs in Java): a pair is never cut in two.
    String emoji = "😀".repeat(1000);
    String cut = ShownName.of(emoji);
    assertEquals("😀".repeat(64) + "…(4000 bytes)", cut);
    String odd = "x" + "😀".repeat(1000); // the pair straddles byte 256
    assertEquals("x" + "😀".repeat(63) + "…(4001 bytes)", ShownName.of(odd));
  }

  @Test
  void showingIsIdempotent() {
    String shown = ShownName.of("q".repeat(10_000));
    assertSame(shown, ShownName.of(shown));
  }

  @Test
  void invalidResultsKeepTheShownNameAndReason() {
    String huge = "z".repeat(1 << 20);
    Bus.Result r = Bus.Result.invalid(huge, "not a string: " + huge);
    assertTrue(utf8(r.domain()) <= ShownName.WHOLE_UP_TO_BYTES);
    assertTrue(utf8(r.error()) <= ShownName.WHOLE_UP_TO_BYTES);
    assertTrue(r.error().startsWith("not a string: zzz"), r.error());
    // through the bus's JSON and back, unchanged
    assertEquals(r, Bus.Result.fromJson(r.toJson()));
  }
}
