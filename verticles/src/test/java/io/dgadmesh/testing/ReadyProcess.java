package io.dgadmesh.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A helper process a test starts in a namespace ({@link LossyWire}, {@link Handshake}'s listener)
 * that prints "ready" once it serves and ends when its standard input closes. Its output is kept,
 * for the test to print (the wire's counts come last, as it ends).
 */
final class ReadyProcess implements AutoCloseable {
  private final Process process;
  private final StringBuilder out = new StringBuilder();
  private final Thread reader;
  private final CompletableFuture<Boolean> ready = new CompletableFuture<>();
  private boolean closed;

  private ReadyProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::read, "ready-process-output");
    reader.setDaemon(true);
  }

  /** Starts {@code cmd} and waits up to 30 s for its "ready" line; if none comes, ends it and fails with its output. */
  static ReadyProcess start(List<String> cmd, Consumer<Process> owner) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    owner.accept(p); // the owner ends it on cleanup, whatever happens here
    ReadyProcess rp = new ReadyProcess(p);
    rp.reader.start();
    boolean up;
    try {
      up = rp.ready.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      up = false;
    }
    if (!up) {
      rp.close();
      throw new IOException(String.join(" ", cmd) + " did not start: " + rp.output());
    }
    return rp;
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        synchronized (this) {
          out.append(line).append('\n');
        }
        if (line.startsWith("ready")) {
          ready.complete(true);
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    ready.complete(false);
  }

  /** Everything it printed so far. */
  String output() {
    synchronized (this) {
      return out.toString();
    }
  }

  /** Closes its standard input (it prints its last lines and exits), forcibly after 10 s. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      reader.join(5_000); // its last lines read before output() is asked
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
