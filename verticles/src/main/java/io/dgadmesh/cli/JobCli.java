package io.dgadmesh.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The command line of {@code dgad job}: its four subcommands and their options; {@link JobCommand} does the work. */
@Command(name = "job", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Batch jobs: submit a file of names, follow a job, fetch its results, list the jobs.",
        "Straight to the configured Redis, or with --remote through a web node's HTTP API."},
    subcommands = {JobCli.Submit.class, JobCli.Status.class, JobCli.Results.class, JobCli.ListJobs.class})
public final class JobCli implements Runnable {

  @Spec
  private CommandSpec spec;

  /** {@code dgad job} alone. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "job needs a subcommand: submit FILE | status ID | results ID | list");
  }

  /** {@code dgad job ...} with these arguments, on a configuration already loaded (for tests). */
  public static int run(String[] argv, JsonObject conf, PrintStream out, PrintStream err) throws Exception {
    ParseResult parsed = Main.parser(new JobCli()).parseArgs(argv);
    if (!parsed.hasSubcommand()) {
      throw new IllegalArgumentException("job needs a subcommand");
    }
    Action action = (Action) parsed.subcommand().commandSpec().userObject();
    action.out = out;
    action.err = err;
    return action.run(conf);
  }

  /** What every job subcommand takes. */
  abstract static class Action extends ConfiguredCommand {
    @Option(names = "--remote", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
        description = "a node with the web role (its web.port), instead of the configured Redis")
    private HostPort remote;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    JobCommand job(JsonObject conf) {
      return new JobCommand(remote, conf, out, err);
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Submits the names in FILE (one a line) as a job and prints its id; the cluster's leader plans it.")
  static final class Submit extends Action {
    @Parameters(paramLabel = "FILE", description = "names, one a line; - reads stdin")
    private String file;

    @Option(names = "--wait", description = "draw a progress bar on stderr until the job is done")
    private boolean wait;

    @Override
    protected int run(JsonObject conf) throws Exception {
      return job(conf).submit(file, wait);
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Prints a job's state and its progress bar; exit code 1 when there is no such job.")
  static final class Status extends Action {
    @Parameters(paramLabel = "ID")
    private String id;

    @Option(names = "--wait", description = "poll until the job is done or failed (exit code 1 when it failed)")
    private boolean wait;

    @Override
    protected int run(JsonObject conf) throws Exception {
      return job(conf).status(id, wait);
    }
  }

  @Command(name = "results", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Writes a job's results to stdout in submit order, one line per name.")
  static final class Results extends Action {
    @Parameters(paramLabel = "ID")
    private String id;

    @Option(names = "--format", paramLabel = "FORMAT", description = "jsonl (default) or csv (with a header)")
    private String format = "jsonl";

    @Override
    protected int run(JsonObject conf) throws Exception {
      return job(conf).results(id, format);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Prints the jobs as a JSON array.")
  static final class ListJobs extends Action {
    @Override
    protected int run(JsonObject conf) throws Exception {
      return job(conf).list();
    }
  }
}
