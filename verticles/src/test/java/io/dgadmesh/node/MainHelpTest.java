package io.dgadmesh.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** "dgad COMMAND --help" prints the usage and runs nothing (no bench, no node). */
class MainHelpTest {

  @ParameterizedTest
  @ValueSource(strings = {"bench", "up", "classify", "job"})
  void helpAfterACommandPrintsTheUsage(String command) {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      // Without the check, bench would run for minutes and end with System.exit (the test JVM with it).
      Main.main(new String[] {command, "--help"});
    } finally {
      System.setOut(out);
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertTrue(printed.startsWith("usage: dgad <command>"), printed);
    assertTrue(printed.contains("bench "), printed);
  }
}
