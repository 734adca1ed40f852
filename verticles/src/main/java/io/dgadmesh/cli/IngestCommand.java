package io.dgadmesh.cli;

import io.dgadmesh.bus.IngestBus;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.ingest.DnsLogs;
import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.ingest.FollowedFile;
import io.dgadmesh.ingest.LogFormat;
import io.dgadmesh.ingest.ParseCounts;
import io.dgadmesh.ingest.RecordReader;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dgad ingest FILE...}: DNS logs into a running mesh, through a web node's
 * {@code POST /api/ingest}. One batch is on its way at a time and the next is read only when the
 * node has answered (after it has classified the names and written the hosts' state), so a slow
 * cluster slows the reader instead of filling a queue. A busy node (503) is retried.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Streams DNS logs (Zeek, Suricata eve.json, BIND, dnsmasq, pcap, CSV, lists) into a running mesh,",
        "which keeps per-host evidence: see GET /api/hosts and the dashboard's Hosts view."})
public final class IngestCommand extends ConfiguredCommand {
  private static final long RETRY_MS = 500;
  private static final long RETRY_MAX_MS = 10_000;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "DNS logs (gzip is read as such); - reads stdin")
  private List<String> files;

  @Option(names = "--input-format", paramLabel = "F", description = "one of ${COMPLETION-CANDIDATES}; detected from the first lines when absent",
      converter = LogFormats.class, completionCandidates = LogFormats.class)
  private LogFormat format;

  @Option(names = "--follow", description = "keep reading each file as it grows, across rotation (as tail -F); one file")
  private boolean follow;

  @Option(names = "--remote", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
      description = "a node with the web role (default: 127.0.0.1 and the configured web.port)")
  private HostPort remote;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "5000",
      description = "records per request (at most " + IngestBus.MAX_RECORDS + "; default ${DEFAULT-VALUE})")
  private int batch;

  private PrintStream out = System.out;
  private PrintStream err = System.err;

  /** {@code dgad ingest ...} with these arguments, on a configuration already loaded (for tests). */
  public static int run(String[] argv, JsonObject conf, PrintStream out, PrintStream err) throws Exception {
    IngestCommand c = new IngestCommand();
    Main.parser(c).parseArgs(argv);
    c.out = out;
    c.err = err;
    return c.run(conf);
  }

  @Override
  protected int run(JsonObject conf) throws Exception {
    if (batch < 1 || batch > IngestBus.MAX_RECORDS) {
      err.println("dgad ingest: --batch must be between 1 and " + IngestBus.MAX_RECORDS);
      return 2;
    }
    if (follow && files.size() != 1) {
      err.println("dgad ingest: --follow reads one file");
      return 2;
    }
    NodeSettings settings = NodeSettings.read(conf);
    HostPort at = remote != null ? remote : new HostPort("127.0.0.1", settings.web().port());
    Sender sender = new Sender(WebDoor.of(settings, at));
    Totals totals = new Totals();
    for (String f : files) {
      if (!"-".equals(f) && !Files.isRegularFile(Path.of(f))) {
        err.println("dgad ingest: " + f + ": no such file");
        return 1;
      }
      List<DnsRecord> pending = new ArrayList<>();
      InputStream in = "-".equals(f) ? System.in
          : follow ? new FollowedFile(Path.of(f), () -> sendQuietly(sender, pending, totals)) : Files.newInputStream(Path.of(f));
      try (RecordReader reader = DnsLogs.open(in, f, format)) {
        DnsRecord r;
        while ((r = reader.next()) != null) {
          pending.add(r);
          if (pending.size() >= batch) {
            sender.send(pending, totals);
          }
        }
        sender.send(pending, totals);
        totals.add(f, reader.counts(), err);
      } catch (IOException e) {
        err.println("dgad ingest: " + f + ": " + e.getMessage());
        return 1;
      }
    }
    out.printf("ingested: %,d records sent, %,d names judged, %,d host updates, %,d lines, %,d malformed, %,d over a limit%n",
        totals.records, totals.names, totals.hosts, totals.lines, totals.malformed, totals.overLimit);
    return 0;
  }

  /** At the end of a followed file: what has been read goes now, not with the next line. */
  private void sendQuietly(Sender sender, List<DnsRecord> pending, Totals totals) {
    try {
      sender.send(pending, totals);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static final class Totals {
    long records;
    long names;
    long hosts;
    long lines;
    long malformed;
    long overLimit;

    void add(String file, ParseCounts c, PrintStream err) {
      lines += c.lines();
      malformed += c.malformed();
      overLimit += c.overLimit();
      for (ParseCounts.Problem p : c.problems()) {
        err.println("dgad ingest: " + file + ":" + p.line() + ": " + p.reason());
      }
      if (c.malformed() + c.overLimit() > c.problems().size()) {
        err.println("dgad ingest: " + file + ": " + (c.malformed() + c.overLimit() - c.problems().size()) + " more lines skipped");
      }
    }
  }

  /** One request at a time; a busy node is retried with a growing pause, any other error ends the run. */
  static final class Sender {
    private static final String PATH = "/api/ingest";
    private final WebDoor door;

    Sender(WebDoor door) {
      this.door = door;
    }

    void send(List<DnsRecord> records, Totals totals) throws IOException, InterruptedException {
      if (records.isEmpty()) {
        return;
      }
      HttpRequest req = door.request(PATH).timeout(Duration.ofMillis(IngestBus.TIMEOUT_MS + 10_000))
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(IngestBus.request(records).encode())).build();
      long pause = RETRY_MS;
      while (true) {
        HttpResponse<String> r = door.http().send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          IngestBus.Reply reply = IngestBus.Reply.fromJson(new JsonObject(r.body()));
          totals.records += reply.records();
          totals.names += reply.names();
          totals.hosts += reply.hosts();
          records.clear();
          return;
        }
        if (r.statusCode() != 503) {
          throw new IOException(door.at(PATH) + ": HTTP " + r.statusCode() + " " + r.body());
        }
        Thread.sleep(pause); // the node asked for a pause (503): back off, then the same batch again
        pause = Math.min(pause * 2, RETRY_MAX_MS);
      }
    }
  }
}
