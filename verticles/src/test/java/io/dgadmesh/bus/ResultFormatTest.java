package io.dgadmesh.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CSV output as a spreadsheet reads it: no cell may start a formula (issue 12, defect 14). */
class ResultFormatTest {

  private static String csv(String name, String error) {
    return ResultFormat.line(Bus.Result.invalid(name, error), "csv");
  }

  @Test
  void aCellThatStartsLikeAFormulaIsText() {
    assertEquals("'=cmd|' /C calc'!A0,,,,,not a host name,", csv("=cmd|' /C calc'!A0", "not a host name"));
    assertEquals("'+1+1,,,,,x,", csv("+1+1", "x"));
    assertEquals("'-shop.com,,,,,x,", csv("-shop.com", "x"));
    assertEquals("'@SUM(A1),,,,,x,", csv("@SUM(A1)", "x"));
    assertEquals("'\tx,,,,,x,", csv("\tx", "x"));
    assertEquals("\"'\rx\",,,,,x,", csv("\rx", "x"));
    // Quoted cells too, and the error column.
    assertEquals("\"'=1,2\",,,,,\"'=HYPERLINK(\"\"http://x\"\")\",", csv("=1,2", "=HYPERLINK(\"http://x\")"));
    // Everything else as it was.
    assertEquals("a=b.com,,,,,x,", csv("a=b.com", "x"));
    assertEquals("google.com,false,0.25,,0.5,,",
        ResultFormat.line(new Bus.Result("google.com", false, 0.25f, null, 0.5f, null), "csv"));
    // The operating point that judged, last.
    assertEquals("google.com,false,0.25,,0.0,,balanced",
        ResultFormat.line(Bus.Result.judged("google.com", false, 0.25f, null, 0f, "1.0.0@abc", "balanced"), "csv"));
  }

  @Test
  void jobResultsAsCsvAreGuardedAlike() {
    String jsonl = Bus.Result.invalid("=2+5", "not a host name").toJson().encode() + "\n";
    assertEquals("'=2+5,,,,,not a host name,\n", ResultFormat.csvOfJsonLines(jsonl));
  }
}
