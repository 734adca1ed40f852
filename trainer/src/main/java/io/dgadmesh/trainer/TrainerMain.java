package io.dgadmesh.trainer;

import io.dgadmesh.model.InputUnit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code bin/dgad-train}: one subcommand per method below; the work is in the XxxCommand classes.
 * Exit code 2 for a usage error; any other failure ends with its stack trace (a developer's tool).
 */
@Command(name = "dgad-train", mixinStandardHelpOptions = true, versionProvider = TrainerMain.Version.class,
    addMethodSubcommands = false,
    customSynopsis = "dgad-train <command> [options]",
    description = "Trains, evaluates and measures the DGA model (see trainer/MODEL_CARD.md).",
    footer = {"", "data: a directory with dga.tsv.gz and benign.tsv.gz (see README, \"Training data\")."})
public final class TrainerMain implements Runnable {

  /** Where {@code --data} points unless given: the training set beside the repository. */
  private static final String DATA = "../shared/data";
  /** Outputs land in trainer/ of the repository (bin/dgad-train sets dgad.root) from any directory. */
  private static final String TRAINER_DIR = "${sys:dgad.root:-.}/trainer/";

  /** The methods below, in the order the usage lists them. */
  private static final String[] COMMANDS = {"train", "evaluate", "reexport", "analyse", "bench", "shapeBench", "ablate",
      "ablateRows", "compare", "rethreshold"};

  @Spec
  private CommandSpec spec;

  private TrainerMain() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TrainerMain());
    for (String method : COMMANDS) {
      cl.addSubcommand(CommandLine.getCommandMethods(TrainerMain.class, method).get(0));
    }
    cl.addSubcommand("help", new CommandLine.HelpCommand());
    cl.registerConverter(InputUnit.class, new TrainingOptions.InputUnitConverter()); // ablate-rows' UNIT=MODEL keys
    cl.getCommandSpec().usageMessage().synopsisHeading("usage: ");
    cl.getSubcommands().values().forEach(c -> c.getCommandSpec().usageMessage().synopsisHeading("usage: "));
    cl.setOverwrittenOptionsAllowed(true); // a repeated option takes its last value, as before picocli
    cl.setParameterExceptionHandler(TrainerMain::misused);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalArgumentException) {
        cmd.getErr().println("dgad-train: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cl;
  }

  /** {@code dgad-train} alone: the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Trains on the train split, picks the threshold on the validation slice, exports ONNX to --out.")
  void train(@Mixin TrainingOptions o) throws Exception {
    TrainCommand.run(o);
  }

  @Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = {"Measures an ONNX model on the test and unseen splits, and its speed here.",
          "Prints the headline table and rewrites the model card."})
  void evaluate(
      @Option(names = "--model", required = true, paramLabel = "FILE.onnx") Path model,
      @Option(names = "--data", paramLabel = "DIR", defaultValue = DATA, description = "(default: ${DEFAULT-VALUE})") Path data,
      @Option(names = "--card", paramLabel = "FILE", defaultValue = TRAINER_DIR + "MODEL_CARD.md",
          description = "the model card written (default: ${DEFAULT-VALUE})") Path card,
      @Option(names = "--reuse-speed", description = "take the speed figures saved by the last measuring run") boolean reuseSpeed)
      throws Exception {
    EvaluateCommand.run(model, data, card, reuseSpeed);
  }

  @Command(name = "reexport", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = {"Rewrites an exported model into the current ONNX graph, same weights and metadata.",
          "Compares both files' answers (on test-split names with --data, else on synthetic ones) and speed."})
  void reexport(
      @Option(names = "--model", required = true, paramLabel = "IN.onnx") Path in,
      @Option(names = "--out", required = true, paramLabel = "OUT.onnx") Path out,
      @Option(names = "--data", paramLabel = "DIR") Path data) throws Exception {
    ReexportCommand.run(in, out, data);
  }

  @Command(name = "ablate", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = {"Trains the same network on each input unit, compares them on the validation slice.",
          "Writes the table to --report; --input-unit and --out are set for each run."})
  void ablate(@Mixin TrainingOptions o,
      @Option(names = "--report", paramLabel = "FILE", defaultValue = TRAINER_DIR + "ablation-input-unit.md",
          description = "(default: ${DEFAULT-VALUE})") Path report) throws Exception {
    AblateCommand.run(o, report);
  }

  @Command(name = "ablate-rows", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Writes ablate's table for models already trained, one UNIT=MODEL.onnx each.")
  void ablateRows(
      @Parameters(index = "0", paramLabel = "DATA") Path data,
      @Parameters(index = "1..*", paramLabel = "UNIT=MODEL.onnx", arity = "1..*") Map<InputUnit, Path> models,
      @Option(names = "--report", paramLabel = "FILE", defaultValue = TRAINER_DIR + "ablation-input-unit.md",
          description = "(default: ${DEFAULT-VALUE})") Path report) throws Exception {
    AblateCommand.rows(data, report, models);
  }

  @Command(name = "rethreshold", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = {"Sets a trained model's operating points again by the current rule (distinct benign registrable",
          "domains of the validation slice), without training; everything else in the file stays."})
  void rethreshold(
      @Option(names = "--model", required = true, paramLabel = "IN.onnx") Path in,
      @Option(names = "--out", required = true, paramLabel = "OUT.onnx") Path out,
      @Option(names = "--data", paramLabel = "DIR", defaultValue = DATA, description = "(default: ${DEFAULT-VALUE})") Path data,
      @Option(names = "--declare-version", paramLabel = "V", description = "version to record (default: the file's)") String version)
      throws Exception {
    RethresholdCommand.run(in, out, data, version);
  }

  @Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = {"Compares trained models (NAME=MODEL.onnx each) on the validation slice, with bamital's and the",
          "left-out families' test recall; writes the table to --report (the card's ablation and leave-family-out tables)."})
  void compare(
      @Option(names = "--data", paramLabel = "DIR", defaultValue = DATA, description = "(default: ${DEFAULT-VALUE})") Path data,
      @Parameters(paramLabel = "NAME=MODEL.onnx", arity = "1..*") java.util.LinkedHashMap<String, Path> models,
      @Option(names = "--report", paramLabel = "FILE", description = "markdown table to write") Path report) throws Exception {
    CompareCommand.run(data, models, report);
  }

  @Command(name = "analyse", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Where a model errs on the validation slice: top-scoring benign names, weakest families.")
  void analyse(
      @Option(names = "--model", required = true, paramLabel = "FILE.onnx") Path model,
      @Option(names = "--data", paramLabel = "DIR", defaultValue = DATA, description = "(default: ${DEFAULT-VALUE})") Path data) {
    AnalyseCommand.run(model, data);
  }

  @Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "ONNX latency and throughput of a model on this machine, on test-split names.")
  void bench(
      @Option(names = "--model", required = true, paramLabel = "FILE.onnx") Path model,
      @Option(names = "--data", paramLabel = "DIR", defaultValue = DATA, description = "(default: ${DEFAULT-VALUE})") Path data)
      throws Exception {
    BenchCommand.print(BenchCommand.run(model, BenchCommand.sampleHosts(DomainDataset.load(data), 50_000)));
  }

  @Command(name = "shape-bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "ONNX speed of an untrained network of the given shape, on synthetic names: no data needed.")
  void shapeBench(@Mixin TrainingOptions o) throws Exception {
    ShapeBenchCommand.run(o);
  }

  /** An option or argument the command does not take: the message names it. */
  private static int misused(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("dgad-train: " + e.getMessage() + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)");
    UnmatchedArgumentException.printSuggestions(e, err);
    err.flush();
    return 2;
  }

  /** What a model trained now is versioned as: the data's hash completes it. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"dgad-train: trains model version " + TrainCommand.VERSION_PREFIX + "+<first 8 hex of the data's sha256>"};
    }
  }
}
