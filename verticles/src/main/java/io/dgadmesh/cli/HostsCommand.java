package io.dgadmesh.cli;

import io.dgadmesh.classifier.ModelSource;
import io.dgadmesh.config.Allowlist;
import io.dgadmesh.config.ClassifierConf;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.hosts.HostReport;
import io.dgadmesh.hosts.HostScore;
import io.dgadmesh.hosts.HostTable;
import io.dgadmesh.hosts.NameEvidence;
import io.dgadmesh.hosts.NameJudge;
import io.dgadmesh.hosts.NameVerdict;
import io.dgadmesh.ingest.DnsLogs;
import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.ingest.LogFormat;
import io.dgadmesh.ingest.ParseCounts;
import io.dgadmesh.ingest.RecordReader;
import io.dgadmesh.model.DgaModel;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dgad hosts FILE...}: which hosts of a DNS log are infected, offline. Every distinct name
 * is judged once (a bounded verdict cache), evidence is gathered per client host, and one line per
 * host is printed, highest score first. Records are read in blocks, so one model call covers the
 * new names of a block; memory is bounded by the cache, the host table and the block, not by the
 * size of the log.
 */
@Command(name = "hosts", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Reads DNS logs (Zeek, Suricata eve.json, BIND, dnsmasq, pcap, CSV, lists; gzip too) and prints",
        "one line per client host, most likely infected first. Totals go to stderr."})
public final class HostsCommand extends ConfiguredCommand {
  /** Verdicts kept: a log's names repeat, and this many distinct names fit a small part of the heap. */
  static final long VERDICT_CACHE = 200_000;
  private static final int BLOCK = 8192;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "DNS logs; - reads stdin")
  private List<String> files;

  @Option(names = "--format", paramLabel = "F", defaultValue = "jsonl",
      description = "output: jsonl (default), csv or txt")
  private String format;

  @Option(names = "--input-format", paramLabel = "F", converter = LogFormats.class, completionCandidates = LogFormats.class,
      description = "one of ${COMPLETION-CANDIDATES}; detected from the first lines when absent")
  private LogFormat inputFormat;

  @Option(names = "--infected", description = "print only the hosts judged infected")
  private boolean onlyInfected;

  private PrintStream out = System.out;
  private PrintStream err = System.err;
  private InputStream stdin = System.in;

  /** {@code dgad hosts ...} with these arguments, on a configuration already loaded (for tests). */
  public static int run(String[] argv, JsonObject conf, InputStream stdin, PrintStream out, PrintStream err) throws Exception {
    HostsCommand c = new HostsCommand();
    Main.parser(c).parseArgs(argv);
    c.out = out;
    c.err = err;
    c.stdin = stdin;
    return c.run(conf);
  }

  @Override
  protected int run(JsonObject conf) throws Exception {
    if (!List.of("jsonl", "csv", "txt").contains(format)) {
      err.println("dgad hosts: --format must be jsonl, csv or txt, not '" + format + "'");
      return 2;
    }
    for (String f : files) {
      if (!"-".equals(f) && !Files.isRegularFile(Path.of(f))) {
        err.println("dgad hosts: " + f + ": no such file");
        return 1;
      }
    }
    long started = System.nanoTime();
    NodeSettings settings = NodeSettings.read(conf);
    Allowlist allowlist = settings.classifier().allowlist();
    HostTable table = new HostTable(HostScore.atThreshold(settings.hosts().threshold()));
    long lines = 0;
    long malformed = 0;
    long overLimit = 0;
    Progress progress = new Progress("1".equals(System.getenv("DGAD_PROGRESS")), err);
    // As a node opens it: classifier.modelPath, pslPath, operatingPoint and threshold all count here too.
    ClassifierConf cc = settings.classifier();
    try (DgaModel model = ModelSource.read(cc).open(Math.max(1, Runtime.getRuntime().availableProcessors()),
        cc.operatingPoint(), cc.threshold())) {
      NameEvidence.approximateFor(model.spec().version()).ifPresent(w -> err.println("dgad hosts: " + w));
      NameJudge judge = new NameJudge(model::classify, allowlist::covers, VERDICT_CACHE);
      List<DnsRecord> block = new ArrayList<>(BLOCK);
      List<String> queries = new ArrayList<>(BLOCK);
      for (String f : files) {
        InputStream in = "-".equals(f) ? stdin : Files.newInputStream(Path.of(f));
        try (RecordReader reader = DnsLogs.open(in, f, inputFormat)) {
          DnsRecord r;
          while ((r = reader.next()) != null) {
            block.add(r);
            queries.add(r.query());
            if (block.size() == BLOCK) {
              addBlock(judge, table, block, queries);
              progress.update(reader.counts().lines(), table.hosts());
            }
          }
          addBlock(judge, table, block, queries);
          ParseCounts c = reader.counts();
          lines += c.lines();
          malformed += c.malformed();
          overLimit += c.overLimit();
          for (ParseCounts.Problem p : c.problems()) {
            err.println("dgad hosts: " + f + ":" + p.line() + ": " + p.reason());
          }
        } catch (IOException e) {
          err.println("dgad hosts: " + f + ": " + e.getMessage());
          return 1;
        }
      }
    }
    progress.done();
    List<HostReport> ranked = table.ranked();
    long infected = 0;
    BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    if ("csv".equals(format)) {
      w.write(HostReport.CSV_HEADER);
      w.write('\n');
    }
    for (HostReport h : ranked) {
      if (h.infected()) {
        infected++;
      } else if (onlyInfected) {
        continue;
      }
      w.write(switch (format) {
        case "csv" -> h.toCsvLine();
        case "txt" -> h.toTxtLine();
        default -> h.toJsonLine();
      });
      w.write('\n');
    }
    w.flush();
    double secs = (System.nanoTime() - started) / 1e9;
    err.printf("dgad hosts: %,d lines, %,d records, %,d malformed, %,d over a limit, %,d hosts, %,d infected"
        + " in %.1f s (%,.0f lines/s, model load included)%s%n",
        lines, table.records(), malformed, overLimit, table.hosts(), infected, secs, lines / Math.max(secs, 1e-9),
        table.overflowHosts() > 0 ? " (" + table.overflowHosts() + " more hosts not tracked: the table is full)" : "");
    return 0;
  }

  private static void addBlock(NameJudge judge, HostTable table, List<DnsRecord> block, List<String> queries) {
    if (block.isEmpty()) {
      return;
    }
    List<NameVerdict> verdicts = judge.judge(queries);
    for (int i = 0; i < block.size(); i++) {
      table.add(block.get(i), verdicts.get(i));
    }
    block.clear();
    queries.clear();
  }

  /** A progress line on stderr when a person watches it (bin/dgad sets DGAD_PROGRESS on a terminal). */
  static final class Progress {
    private final boolean on;
    private final PrintStream err;
    private final long start = System.nanoTime();
    private long lastPrint;
    private long lines;

    Progress(boolean on, PrintStream err) {
      this.on = on;
      this.err = err;
    }

    void update(long lines, int hosts) {
      this.lines = lines;
      long now = System.nanoTime();
      if (on && now - lastPrint > 250_000_000L) {
        lastPrint = now;
        err.printf("\rdgad hosts: %,d lines, %,d hosts, %,.0f lines/s ", lines, hosts, lines / ((now - start) / 1e9));
      }
    }

    void done() {
      if (on && lastPrint > 0) {
        err.printf("\rdgad hosts: %,d lines in %.1f s%30s%n", lines, (System.nanoTime() - start) / 1e9, "");
      }
    }
  }
}
