package io.dgadmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The command line before any command runs: usage and --help, options a command does not take, option values. */
class MainArgsTest {

  private record Outcome(int code, String out, String err) {}

  private static Outcome run(String... argv) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(new Main.BenchElsewhere());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(argv);
    return new Outcome(code, out.toString(), err.toString());
  }

  private static ParseResult parse(String... argv) {
    return Main.commandLine(new Main.BenchElsewhere()).parseArgs(argv);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bench", "up", "node", "classify", "job", "job submit", "job results"})
  void helpAfterACommandPrintsItsUsageAndRunsNothing(String command) {
    // Were --help not seen first, bench would run for minutes and rewrite bench/RESULTS.md, and up
    // would start a node; a command that runs loads the configuration, which --help never needs.
    Outcome o = run(Stream.concat(Stream.of(command.split(" ")), Stream.of("--help")).toArray(String[]::new));
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().startsWith("usage: dgad " + command + " "), o.out());
    assertTrue(o.out().contains("--conf=FILE") || command.equals("bench") || command.equals("job"), o.out());
    assertEquals("", o.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "help", "--help", "-h"})
  void theOverviewListsEveryCommand(String arg) {
    Outcome o = arg.isEmpty() ? run() : run(arg);
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().startsWith("usage: dgad <command> [options]"), o.out());
    for (String command : List.of("up", "node", "job", "classify", "bench")) {
      assertTrue(o.out().contains("\n  " + command + " "), command + " in " + o.out());
    }
    assertTrue(o.out().contains("environment: REDIS_HOST"), o.out());
  }

  @Test
  void helpNamesACommand() {
    Outcome o = run("help", "classify");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().startsWith("usage: dgad classify "), o.out());
  }

  @Test
  void aMistypedOptionIsAnErrorThatNamesIt() {
    Outcome o = run("classify", "-d", "a.com", "--formt=csv");
    assertEquals(2, o.code());
    assertTrue(o.err().startsWith("dgad: Unknown option: '--formt=csv' (see dgad classify --help)"), o.err());
    assertTrue(o.err().contains("--format"), "suggests the option meant: " + o.err());
    assertEquals(2, run("classify", "--names", "10").code(), "bench's option, not classify's");
    Outcome status = run("job", "status", "abc", "--format", "csv");
    assertEquals(2, status.code(), "results' option, not status's");
    assertTrue(status.err().contains("'--format'"), status.err());
  }

  @Test
  void anUnknownCommandOrAMissingArgumentIsAnError() {
    Outcome o = run("clasify", "-d", "a.com");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("'clasify'"), o.err());
    Outcome submit = run("job", "submit");
    assertEquals(2, submit.code());
    assertTrue(submit.err().contains("FILE") && submit.err().contains("dgad job submit --help"), submit.err());
    Outcome job = run("job");
    assertEquals(2, job.code());
    assertTrue(job.err().startsWith("dgad: job needs a subcommand: submit FILE | status ID | results ID | list"), job.err());
  }

  @Test
  void aBadValueNamesItsOptionOrItsKey() {
    Outcome port = run("classify", "-d", "a.com", "--remote", "localhost:0");
    assertEquals(2, port.code());
    assertEquals("dgad: Invalid value for option '--remote': needs HOST:PORT with a port from 1 to 65535, got 'localhost:0'"
        + " (see dgad classify --help)\n", port.err());
    Outcome classifiers = run("classify", "-d", "a.com", "--classifiers", "x");
    assertEquals(2, classifiers.code());
    assertEquals("dgad: invalid configuration: node.classifiers (from --classifiers): must be an integer, got 'x'\n",
        classifiers.err());
    Outcome clusterPort = run("node", "--cluster-port", "x");
    assertEquals(2, clusterPort.code());
    assertEquals("dgad: invalid configuration: cluster.port (from --cluster-port): must be an integer, got 'x'\n",
        clusterPort.err());
  }

  @Test
  void knownOptionsAndTheirValuesPass() {
    // A value that starts with a dash (an invalid name to classify, stdin) is a value, not an option.
    ParseResult classify = parse("classify", "-d", "-shop.com", "-d", "-h", "-f", "-", "--format", "csv", "--conf", "c.json")
        .subcommand();
    assertEquals(List.of("-shop.com", "-h"), classify.matchedOptionValue("-d", List.of()));
    assertEquals("-", classify.matchedOptionValue("-f", ""));
    assertEquals("c.json", classify.matchedOptionValue("--conf", null).toString());
    // bin/dgad adds --conf after the arguments when none is given.
    ParseResult submit = parse("job", "submit", "names.txt", "--wait", "--remote", "h:1", "--conf", "c.json")
        .subcommand().subcommand();
    assertEquals("names.txt", submit.matchedPositionalValue(0, ""));
    assertEquals(new HostPort("h", 1), submit.matchedOptionValue("--remote", null));
    ParseResult node = parse("node", "--roles", "worker", "--members", "a:1,b:2", "--name", "n1", "--classifiers", "1")
        .subcommand();
    assertEquals("a:1,b:2", node.matchedOptionValue("--members", ""));
    // As before picocli: a repeated option takes its last value.
    assertEquals("txt", parse("classify", "--format=csv", "--format", "txt").subcommand().matchedOptionValue("--format", ""));
  }
}
