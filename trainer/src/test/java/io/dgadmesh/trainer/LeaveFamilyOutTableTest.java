package io.dgadmesh.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeaveFamilyOutTableTest {

  private static String table(String shipped, String baseline) {
    return "| run | val AUC | test suppobox / nymaim2 recall |\n|---|---:|---:|\n"
        + "| characters only, without suppobox and nymaim2 | 0.97109 | " + baseline + " |\n"
        + "| shipped settings, without suppobox and nymaim2 | 0.97346 | " + shipped + " |\n";
  }

  @Test
  void belowCharactersOnlyInOneFamilyIsNotMet() {
    LeaveFamilyOutTable t = LeaveFamilyOutTable.parse(table("0.0000 / 0.0002", "0.0002 / 0.0020")).orElseThrow();
    assertFalse(t.met());
    assertEquals("0.0000 / 0.0002 (characters only 0.0002 / 0.0020)", t.describe());
    assertFalse(LeaveFamilyOutTable.parse(table("0.0000 / 0.0300", "0.0002 / 0.0020")).orElseThrow().met());
  }

  @Test
  void equalOrAboveInEveryFamilyIsMet() {
    assertTrue(LeaveFamilyOutTable.parse(table("0.002 / 0.042", "0.000 / 0.002")).orElseThrow().met());
    assertTrue(LeaveFamilyOutTable.parse(table("0.000 / 0.002", "0.000 / 0.002")).orElseThrow().met());
  }

  @Test
  void aTableWithoutBothRowsGivesNoVerdict() {
    assertTrue(LeaveFamilyOutTable.parse("| shipped settings | 0.1 / 0.2 |\n").isEmpty());
    assertTrue(LeaveFamilyOutTable.parse(table("n/a", "0.000 / 0.002")).isEmpty());
  }
}
