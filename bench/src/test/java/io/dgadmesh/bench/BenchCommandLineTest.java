package io.dgadmesh.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.cli.HostPort;
import io.dgadmesh.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** {@code bin/dgad bench}'s options, read by the node's command line: nothing here starts a bench. */
class BenchCommandLineTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... argv) {
    CommandLine cl = Main.commandLine(new BenchCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(argv);
  }

  @Test
  void helpPrintsTheUsageAndRunsNoBench() {
    // A bench runs for minutes and rewrites bench/RESULTS.md: --help anywhere must stop it.
    assertEquals(0, run("bench", "--parts=model", "--classifiers", "1", "--help"), err.toString());
    assertTrue(out.toString().startsWith("usage: dgad bench "), out.toString());
    assertTrue(out.toString().contains("--warmup=S"), out.toString());
    assertEquals("", err.toString());
  }

  @Test
  void aMistypedOptionIsAnErrorThatNamesIt() {
    assertEquals(2, run("bench", "--seconds", "5", "--warmpu=3"));
    assertTrue(err.toString().startsWith("dgad: Unknown option: '--warmpu=3' (see dgad bench --help)"), err.toString());
    assertTrue(err.toString().contains("--warmup"), "suggests the option meant: " + err);
  }

  @Test
  void aBadValueNamesItsOption() {
    assertEquals(2, run("bench", "--seconds", "ten"));
    assertTrue(err.toString().startsWith("dgad: Invalid value for option '--seconds': 'ten' is not a double"), err.toString());
  }

  @Test
  void optionsAreRead() {
    ParseResult bench = Main.commandLine(new BenchCommand())
        .parseArgs("bench", "--parts", "model,grpc", "--remote", "h:4714", "--names=10", "--conf", "c.json").subcommand();
    assertEquals(List.of("model", "grpc"), bench.matchedOptionValue("--parts", List.of()));
    assertEquals(new HostPort("h", 4714), bench.matchedOptionValue("--remote", null));
    assertEquals(10, (int) bench.matchedOptionValue("--names", 0));
  }
}
