package io.dgadmesh.web;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.function.Supplier;

/**
 * A request body streamed to the node as a real client would: chunked, part by part, as fast as
 * the connection takes it (waiting for drain when its write queue is full). The body need not
 * end: a test can hold it open, then {@link #finish} or {@link #abort} it.
 */
final class Upload {

  /** An answer: status and body. */
  record Answer(int status, String body, String header) {}

  private final HttpClientRequest request;
  private final Future<Answer> answer;
  private Supplier<Buffer> rest;
  private boolean endWhenDone;
  private Promise<Void> sent;

  private Upload(HttpClientRequest request, String header) {
    this.request = request;
    this.answer = request.response().compose(r -> r.body().map(b -> new Answer(r.statusCode(), b.toString(),
        header == null ? null : r.getHeader(header))));
  }

  /**
   * Starts {@code POST path} with {@code parts} (null when there are no more); ends the body after
   * them when {@code end}. {@code header}: a response header to keep in the answer (or null).
   */
  static Future<Upload> start(HttpClient client, int port, String path, String contentType, Supplier<Buffer> parts,
                              boolean end, String header) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
            .setURI(path).putHeader("Content-Type", contentType))
        .map(req -> {
          Upload u = new Upload(req.setChunked(true), header);
          u.send(parts, end);
          return u;
        });
  }

  /** Sends more parts (on the request's event loop), ending the body after them when {@code end}. */
  synchronized Future<Void> send(Supplier<Buffer> parts, boolean end) {
    rest = parts;
    endWhenDone = end;
    sent = Promise.promise();
    Future<Void> f = sent.future();
    pump();
    return f;
  }

  /** The rest of the body, then its end. */
  Future<Void> finish(Supplier<Buffer> parts) {
    return send(parts, true);
  }

  private synchronized void pump() {
    while (!request.writeQueueFull()) {
      Buffer b = rest.get();
      if (b == null) {
        if (endWhenDone) {
          request.end();
        }
        sent.tryComplete();
        return;
      }
      request.write(b);
    }
    request.drainHandler(v -> pump());
  }

  /** Resets the request: the connection closes with the body unfinished. */
  void abort() {
    request.reset();
  }

  Future<Answer> answer() {
    return answer;
  }

  /** Lines of text in parts of about 64 KiB: {@code lines} lines made by {@code line(i)}. */
  static Supplier<Buffer> lines(int from, int to, java.util.function.IntFunction<String> line) {
    int[] next = {from};
    return () -> {
      if (next[0] >= to) {
        return null;
      }
      Buffer b = Buffer.buffer(70_000);
      while (next[0] < to && b.length() < 64 * 1024) {
        b.appendString(line.apply(next[0]++)).appendByte((byte) '\n');
      }
      return b;
    };
  }

  /** One part, then no more. */
  static Supplier<Buffer> once(String text) {
    boolean[] given = {false};
    return () -> {
      if (given[0]) {
        return null;
      }
      given[0] = true;
      return Buffer.buffer(text);
    };
  }
}
