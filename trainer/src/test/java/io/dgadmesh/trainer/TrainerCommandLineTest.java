package io.dgadmesh.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.model.InputUnit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** bin/dgad-train's options: nothing here trains or loads a model. */
class TrainerCommandLineTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = TrainerMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static TrainingOptions trainingOptions(String... args) {
    ParseResult command = TrainerMain.commandLine().parseArgs(args).subcommand();
    return command.commandSpec().mixins().values().stream().map(m -> m.userObject())
        .filter(TrainingOptions.class::isInstance).map(TrainingOptions.class::cast).findFirst().orElseThrow();
  }

  /** The shipped model's settings are the field initialisers: reading no option keeps every one. */
  @Test
  void noOptionKeepsTheShippedSettings() throws Exception {
    TrainingOptions parsed = trainingOptions("train");
    TrainingOptions shipped = new TrainingOptions();
    for (Field f : TrainingOptions.class.getDeclaredFields()) {
      assertTrue(Objects.deepEquals(f.get(shipped), f.get(parsed)), f.getName());
    }
    assertEquals(shipped.describe(), parsed.describe());
  }

  @Test
  void optionsSetTheirFields() {
    TrainingOptions o = trainingOptions("shape-bench", "--widths", "3,5", "--input-unit", "label", "--lr", "0.01",
        "--epochs", "2", "--epochs", "3", "--data", "d", "--private-suffix-share", "0.5");
    assertArrayEquals(new int[] {3, 5}, o.widths);
    assertEquals(InputUnit.LABEL, o.inputUnit);
    assertEquals(0.01f, o.learningRate);
    assertEquals(3, o.epochs, "a repeated option takes its last value");
    assertEquals(Path.of("d"), o.data);
    assertEquals(0.5, o.privateSuffixShare);
  }

  @Test
  void ablateRowsReadsOneModelPerUnit() {
    ParseResult rows = TrainerMain.commandLine().parseArgs("ablate-rows", "data", "label=a.onnx", "fqdn=b.onnx").subcommand();
    assertEquals(Path.of("data"), rows.matchedPositionalValue(0, null));
    Map<InputUnit, Path> models = rows.matchedPositionalValue(1, Map.of());
    assertEquals(List.of(InputUnit.LABEL, InputUnit.FQDN), List.copyOf(models.keySet()));
    assertEquals(Path.of("b.onnx"), models.get(InputUnit.FQDN));
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "evaluate", "reexport", "analyse", "bench", "shape-bench", "ablate", "ablate-rows"})
  void everyCommandHasItsHelp(String command) {
    assertEquals(0, run(command, "--help"), err.toString());
    assertTrue(out.toString().startsWith("usage: dgad-train " + command + " "), out.toString());
  }

  @Test
  void errorsNameTheOption() {
    assertEquals(2, run("train", "--epochs", "x"));
    assertTrue(err.toString().startsWith("dgad-train: Invalid value for option '--epochs': 'x' is not an int"), err.toString());
    assertEquals(2, run("train", "--input-unit", "word"));
    assertTrue(err.toString().contains("unknown input unit 'word' (label, registrable_domain, fqdn)"), err.toString());
    assertEquals(2, run("evaluate", "--data", "d"));
    assertTrue(err.toString().contains("Missing required option: '--model=FILE.onnx'"), err.toString());
    assertEquals(2, run("reexport", "--model", "a.onnx", "--out", "b.onnx", "--dta", "d"));
    assertTrue(err.toString().contains("Unknown options: '--dta', 'd'"), err.toString());
  }
}
