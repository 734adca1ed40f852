package io.dgadmesh.bench;

import io.dgadmesh.grpc.dgad4.Domain;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Single-name calls from h2load (nghttp2's HTTP/2 load generator, written in C; Debian package
 * nghttp2-client), so the callers cost the node's two cores little: the figure is the node's.
 * Every call sends the same dgad 4.x request; h2load does not read gRPC trailers, so the caller
 * compares the calls it counts with the names the classifiers answered.
 */
final class H2Load {

  /** A measured run: calls h2load counted as answered (HTTP 200) and their latencies. */
  record Outcome(long calls, long notAnswered, double callsPerSecond, double p50Ms, double p99Ms) {}

  private H2Load() {}

  static boolean available() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, "h2load")));
  }

  /** {@code connections} x {@code streams} concurrent calls for {@code seconds} (whole, at least 1). */
  static Outcome run(String host, int port, String name, int connections, int streams, double seconds)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("dgad-h2load");
    try {
      byte[] msg = Domain.newBuilder().setFqdn(name).build().toByteArray();
      Path body = dir.resolve("request.bin");
      // gRPC framing: not compressed, 4-byte big-endian length, then the message.
      Files.write(body, ByteBuffer.allocate(5 + msg.length).put((byte) 0).putInt(msg.length).put(msg).array());
      Path log = dir.resolve("requests.log");
      List<String> cmd = List.of("h2load", "-D", Long.toString(Math.max(1, Math.round(seconds))),
          "-c", Integer.toString(connections), "-m", Integer.toString(streams), "-t", "1",
          "-d", body.toString(), "-H", "content-type: application/grpc", "-H", "te: trailers",
          "--log-file=" + log, "http://" + host + ":" + port + "/Classifier/GetClassification");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IOException("h2load failed: " + out);
      }
      Matcher rate = Pattern.compile("finished in [0-9.]+s, ([0-9.]+) req/s").matcher(out);
      Matcher counts = Pattern.compile("(\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout").matcher(out);
      if (!rate.find() || !counts.find()) {
        throw new IOException("cannot read h2load's output: " + out);
      }
      long ok = Long.parseLong(counts.group(1));
      long bad = Long.parseLong(counts.group(2)) + Long.parseLong(counts.group(3)) + Long.parseLong(counts.group(4));
      // Log lines: start (µs since epoch), HTTP status, µs until the response ended.
      long[] micros = Files.readAllLines(log).stream().map(l -> l.split("\t"))
          .filter(f -> f.length >= 3 && f[1].equals("200")).mapToLong(f -> Long.parseLong(f[2].trim())).sorted().toArray();
      double p50 = micros.length == 0 ? Double.NaN : micros[micros.length / 2] / 1e3;
      double p99 = micros.length == 0 ? Double.NaN : micros[(int) (micros.length * 0.99)] / 1e3;
      return new Outcome(ok, bad, Double.parseDouble(rate.group(1)), p50, p99);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }
}
