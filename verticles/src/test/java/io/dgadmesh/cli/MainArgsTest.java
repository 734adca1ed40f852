package io.dgadmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;



import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Command-line handling before any command runs: --help, and options a command does not know. */
class MainArgsTest {

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

  @Test
  void aMistypedOptionIsAnErrorThatNamesIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Main.checkOptions("bench", new Args(new String[] {"--seconds", "5", "--warmpu=3"})));
    assertEquals("unknown option '--warmpu' for 'bench' (see dgad help)", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Main.checkOptions("classify", new Args(new String[] {"--names", "10"})), "bench's option, not classify's");
  }

  @Test
  void knownOptionsAndTheirValuesPass() {
    // A value that starts with a dash (an invalid name to classify, stdin) is a value, not an option.
    Main.checkOptions("classify", new Args(new String[] {"-d", "-shop.com", "-f", "-", "--format", "csv", "--conf", "c.json"}));
    Main.checkOptions("bench", new Args(new String[] {"--parts=model", "--classifiers", "1", "--help"}));
    Main.checkOptions("job", new Args(new String[] {"submit", "names.txt", "--wait", "--remote", "h:1"}));
    Main.checkOptions("node", new Args(new String[] {"--roles", "worker", "--members", "a:1,b:2", "--name", "n1"}));
  }
}
