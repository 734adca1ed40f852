package io.dgadmesh.cli;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.bus.ResultFormat;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.dgadmesh.grpc.v1.Result;
import io.dgadmesh.model.HostnameNormalizer;
import io.dgadmesh.node.Node;
import io.dgadmesh.tls.ClientTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dgad classify}: names from -d and -f (a file, or - for stdin), one output line per name
 * in input order (blank input lines are skipped). In-process by default, or through the native
 * gRPC API of a running node with --remote. Streams: memory stays flat for any input size.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Classifies names from -d and -f: one output line per name, in input order (blank lines skipped).",
        "In this process by default, or through a running node's native gRPC API with --remote."})
public final class ClassifyCommand extends ConfiguredCommand {

  static final int CHUNK = 512;
  /**
   * At most this many bytes of names per request, well under the node's grpc.maxMessageBytes
   * (4 MiB by default): a file of long lines must not make one request too big for the node.
   */
  static final long CHUNK_BYTES = 1 << 20;
  /** Answers echo each name (and an error for invalid ones): accept far more than we send. */
  static final long MAX_ANSWER_BYTES = 64L << 20;
  static final int WINDOW = 8;

  @Option(names = {"-d", "--domain"}, paramLabel = "NAME", description = "a name to classify; repeat for more")
  private List<String> direct = new ArrayList<>();

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "names to classify, one a line; - reads stdin")
  private String file;

  @Option(names = "--format", paramLabel = "FORMAT", description = "jsonl (default), csv (with a header) or txt")
  private String format = "jsonl";

  @Option(names = "--remote", paramLabel = "HOST:PORT", converter = HostPort.Converter.class,
      description = "a running node's native gRPC port (grpc.port), instead of a classifier in this process")
  private HostPort remote;

  private final InputStream stdin;
  private final java.io.OutputStream stdout;
  private final PrintStream stderr;
  private JsonObject conf;

  public ClassifyCommand() {
    this(System.in, System.out, System.err);
  }

  ClassifyCommand(InputStream stdin, java.io.OutputStream stdout, PrintStream stderr) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** {@code classify} with these arguments, on a configuration already loaded (tests, the bench's fuzz). */
  public static int run(String[] argv, JsonObject conf, InputStream stdin, java.io.OutputStream stdout, PrintStream stderr)
      throws Exception {
    ClassifyCommand command = new ClassifyCommand(stdin, stdout, stderr);
    Main.parser(command).parseArgs(argv);
    return command.run(conf);
  }

  @Override
  protected int run(JsonObject conf) throws Exception {
    this.conf = conf;
    if (!List.of("jsonl", "csv", "txt").contains(format)) {
      throw new IllegalArgumentException("--format must be jsonl, csv or txt, not '" + format + "'");
    }
    if (direct.isEmpty() && file == null) {
      throw new IllegalArgumentException("nothing to classify: give -d NAME or -f FILE (- for stdin)");
    }
    InputStream in = file == null ? InputStream.nullInputStream()
        : file.equals("-") ? stdin : Files.newInputStream(Path.of(file));
    long totalBytes = file == null || file.equals("-") ? -1 : Files.size(Path.of(file));
    Progress progress = new Progress("1".equals(System.getenv("DGAD_PROGRESS")), totalBytes, stderr);

    Vertx vertx = Vertx.vertx();
    try (InputStream input = in; Writer out = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), 1 << 16)) {
      Function<List<String>, Future<List<Bus.Result>>> backend = backend(vertx);
      Iterator<String> names = names(direct,
          new BoundedLines(new InputStreamReader(in, StandardCharsets.UTF_8), LONGEST_SENT + 1), progress);
      if (format.equals("csv")) {
        out.write(ResultFormat.CSV_HEADER + "\n");
      }
      ArrayDeque<Future<List<Bus.Result>>> window = new ArrayDeque<>();
      List<String> chunk = new ArrayList<>(CHUNK);
      long chunkBytes = 0;
      while (names.hasNext()) {
        String name = names.next();
        long bytes = 4L * name.length(); // at most, in UTF-8; cheaper than encoding every name
        if (chunk.size() == CHUNK || (!chunk.isEmpty() && chunkBytes + bytes > CHUNK_BYTES)) {
          window.add(backend.apply(chunk));
          chunk = new ArrayList<>(CHUNK);
          chunkBytes = 0;
          if (window.size() >= WINDOW) {
            print(window.poll(), format, out, progress);
          }
        }
        chunk.add(name);
        chunkBytes += bytes;
      }
      if (!chunk.isEmpty()) {
        window.add(backend.apply(chunk));
      }
      while (!window.isEmpty()) {
        print(window.poll(), format, out, progress);
      }
      progress.done();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
    return 0;
  }

  private Function<List<String>, Future<List<Bus.Result>>> backend(Vertx vertx) {
    if (remote == null) {
      JsonObject local = conf.copy();
      local.getJsonObject("node").put("roles", new JsonArray().add("classifier"));
      join(Node.deploy(vertx, local));
      return names -> Bus.classify(vertx.eventBus(), names);
    }
    SocketAddress at = SocketAddress.inetSocketAddress(remote.port(), remote.host());
    // TLS and the token as the configuration gives them (ClientTls): the node's own when run beside it.
    NodeSettings settings = NodeSettings.read(conf);
    GrpcClient client = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(MAX_ANSWER_BYTES),
        ClientTls.grpc(settings.tls(), new HttpClientOptions().setHttp2ClearTextUpgrade(false)));
    String token = settings.grpc().token();
    return names -> {
      // A line far longer than any host name is answered here by the same rules the node applies;
      // sent as is, one such line could make a request the node refuses, and end the whole run.
      List<String> send = new ArrayList<>(names.size());
      List<Bus.Result> local = new ArrayList<>(names.size());
      for (String name : names) {
        Bus.Result refused = refusedHere(name);
        local.add(refused);
        if (refused == null) {
          send.add(name);
        }
      }
      Future<List<Bus.Result>> remoteResults = send.isEmpty() ? Future.succeededFuture(List.of())
          : classifyBatch(client, at, token, ClassifyRequest.newBuilder().addAllNames(send).build())
              .map(ClassifyCommand::results);
      return remoteResults.map(answered -> Bus.inInputOrder(local, answered));
    };
  }

  /** One ClassifyBatch call, with {@code authorization: Bearer <token>} when a token is configured. */
  private static Future<ClassifyResponse> classifyBatch(GrpcClient client, SocketAddress at, String token,
                                                        ClassifyRequest request) {
    return client.request(at, DgaClassifierGrpcClient.ClassifyBatch).compose(req -> {
      if (!token.isEmpty()) {
        req.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
      }
      // A refusal reads as the node's status and message (UNAUTHENTICATED: ... token), not Vert.x's "Invalid status".
      return req.end(request).compose(v -> req.response().compose(resp -> resp.last().recover(e ->
          Future.failedFuture(resp.status() == null || resp.status() == GrpcStatus.OK ? e
              : new IllegalStateException(resp.status() + ": " + resp.statusMessage())))));
    });
  }

  /** Longer names (in chars) are checked here before they are sent: none of them is a host name but in odd cases. */
  static final int LONGEST_SENT = 1024;

  /** The node's answer for a name too long to send, given here; null for a name to send. */
  private static Bus.Result refusedHere(String name) {
    if (name.length() <= LONGEST_SENT) {
      return null;
    }
    HostnameNormalizer.Result n = HostnameNormalizer.normalize(name);
    return n.ok() ? null : Bus.Result.invalid(name, n.error());
  }

  private static List<Bus.Result> results(ClassifyResponse resp) {
    List<Bus.Result> out = new ArrayList<>(resp.getResultsCount());
    for (Result r : resp.getResultsList()) {
      out.add(r.getError().isEmpty()
          ? new Bus.Result(r.getDomain(), r.getIsDga(), r.getScore(), r.getFamily().isEmpty() ? null : r.getFamily(),
              r.getFamilyScore(), null, r.getAllowlisted(), r.getModel().isEmpty() ? null : r.getModel(),
              r.getPoint().isEmpty() ? null : r.getPoint())
          : Bus.Result.invalid(r.getDomain(), r.getError()));
    }
    return out;
  }

  private static Iterator<String> names(List<String> direct, BoundedLines reader, Progress progress) {
    Iterator<String> first = direct.iterator();
    return new Iterator<>() {
      String next;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        if (first.hasNext()) {
          next = first.next();
          return true;
        }
        try {
          String line;
          // A line over LONGEST_SENT arrives cut to LONGEST_SENT + 1 characters: still too long
          // for a host name, so it is answered as invalid under its first characters.
          while ((line = reader.next()) != null) {
            progress.read(reader.lastLength() + 1);
            if (!line.isBlank()) {
              next = line;
              return true;
            }
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return false;
      }

      @Override
      public String next() {
        hasNext();
        String n = next;
        next = null;
        return n;
      }
    };
  }

  private static void print(Future<List<Bus.Result>> f, String format, Writer out, Progress progress) throws IOException {
    List<Bus.Result> results = join(f);
    for (Bus.Result r : results) {
      out.write(ResultFormat.line(r, format));
      out.write('\n');
    }
    progress.classified(results.size());
  }

  static <T> T join(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      throw new IllegalStateException("classification failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** A one-line counter on stderr, only when bin/dgad saw a terminal there. */
  static final class Progress {
    private final boolean on;
    private final long totalBytes;
    private final PrintStream err;
    private final long start = System.nanoTime();
    private long bytes;
    private long names;
    private long lastPrint;

    Progress(boolean on, long totalBytes, PrintStream err) {
      this.on = on;
      this.totalBytes = totalBytes;
      this.err = err;
    }

    void read(long n) {
      bytes += n;
    }

    void classified(int n) {
      names += n;
      long now = System.nanoTime();
      if (on && now - start > 500_000_000L && now - lastPrint > 200_000_000L) {
        lastPrint = now;
        double secs = (now - start) / 1e9;
        String pct = totalBytes > 0 ? String.format(" %3d%%", Math.min(100, bytes * 100 / totalBytes)) : "";
        err.printf("\rdgad classify:%s %,d names, %,.0f names/s ", pct, names, names / secs);
      }
    }

    void done() {
      if (on && lastPrint > 0) {
        err.printf("\rdgad classify: %,d names in %.1f s%20s%n", names, (System.nanoTime() - start) / 1e9, "");
      }
    }
  }
}
