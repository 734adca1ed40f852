package io.dgadmesh.cli;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.dgadmesh.grpc.v1.Result;
import io.dgadmesh.node.Node;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.io.BufferedReader;
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

/**
 * {@code dgad classify}: names from -d and -f (a file, or - for stdin), one output line per name
 * in input order (blank input lines are skipped). In-process by default, or through the native
 * gRPC API of a running node with --remote. Streams: memory stays flat for any input size.
 */
public final class ClassifyCommand {

  static final int CHUNK = 512;
  static final int WINDOW = 8;

  private final Args args;
  private final JsonObject conf;
  private final InputStream stdin;
  private final java.io.OutputStream stdout;
  private final PrintStream stderr;

  public ClassifyCommand(Args args, JsonObject conf) {
    this(args, conf, System.in, System.out, System.err);
  }

  public ClassifyCommand(Args args, JsonObject conf, InputStream stdin, java.io.OutputStream stdout, PrintStream stderr) {
    this.args = args;
    this.conf = conf;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  public int run() throws Exception {
    String format = args.value("--format").orElse("jsonl");
    if (!List.of("jsonl", "csv", "txt").contains(format)) {
      throw new IllegalArgumentException("--format must be jsonl, csv or txt, not '" + format + "'");
    }
    List<String> direct = args.values("-d", "--domain");
    String file = args.value("-f", "--file").orElse(null);
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
      Iterator<String> names = names(direct, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), progress);
      if (format.equals("csv")) {
        out.write("domain,is_dga,score,family,family_score,error\n");
      }
      ArrayDeque<Future<List<Bus.Result>>> window = new ArrayDeque<>();
      List<String> chunk = new ArrayList<>(CHUNK);
      while (names.hasNext()) {
        chunk.add(names.next());
        if (chunk.size() == CHUNK) {
          window.add(backend.apply(chunk));
          chunk = new ArrayList<>(CHUNK);
          if (window.size() >= WINDOW) {
            print(window.poll(), format, out, progress);
          }
        }
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
    String remote = args.value("--remote").orElse(null);
    if (remote == null) {
      JsonObject local = conf.copy();
      local.getJsonObject("node").put("roles", new JsonArray().add("classifier"));
      join(Node.deploy(vertx, local));
      return names -> Bus.classify(vertx.eventBus(), names);
    }
    int colon = remote.lastIndexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("--remote needs HOST:PORT, got '" + remote + "'");
    }
    SocketAddress at = SocketAddress.inetSocketAddress(Integer.parseInt(remote.substring(colon + 1)),
        remote.substring(0, colon));
    DgaClassifierGrpcClient client = DgaClassifierGrpcClient.create(GrpcClient.client(vertx), at);
    return names -> client.classifyBatch(ClassifyRequest.newBuilder().addAllNames(names).build())
        .map(resp -> {
          List<Bus.Result> out = new ArrayList<>(resp.getResultsCount());
          for (Result r : resp.getResultsList()) {
            out.add(r.getError().isEmpty()
                ? new Bus.Result(r.getDomain(), r.getIsDga(), r.getScore(), r.getFamily().isEmpty() ? null : r.getFamily(),
                    r.getFamilyScore(), null)
                : Bus.Result.invalid(r.getDomain(), r.getError()));
          }
          return out;
        });
  }

  private static Iterator<String> names(List<String> direct, BufferedReader reader, Progress progress) {
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
          while ((line = reader.readLine()) != null) {
            progress.read(line.length() + 1);
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
      out.write(line(r, format));
      out.write('\n');
    }
    progress.classified(results.size());
  }

  public static String line(Bus.Result r, String format) {
    return switch (format) {
      case "csv" -> r.ok()
          ? String.join(",", csv(r.domain()), Boolean.toString(r.isDga()), Float.toString(r.score()),
              csv(r.family() == null ? "" : r.family()), Float.toString(r.familyScore()), "")
          : String.join(",", csv(r.domain()), "", "", "", "", csv(r.error()));
      case "txt" -> r.ok()
          ? r.domain() + "\t" + (r.isDga() ? "DGA" : "ok") + "\t" + String.format("%.4f", r.score())
              + (r.isDga() ? "\t" + r.family() : "")
          : r.domain() + "\tinvalid\t" + r.error();
      default -> r.toJson().encode();
    };
  }

  private static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
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

    void read(int n) {
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
