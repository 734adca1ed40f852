package io.dgadmesh.web;

import io.dgadmesh.redis.JobStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * One {@code POST /api/jobs} body, stored as it arrives and never held whole: the names are read
 * line by line or entry by entry ({@link NameReaders}), gathered into chunks, and appended to the
 * job in Redis one chunk at a time ({@link JobStore.Upload}); the request is paused while a chunk
 * is on its way, so a fast client cannot run ahead of Redis. The job is published only once the
 * body has ended well. Any failure (a bad entry, the size limit, Redis, the client leaving) deletes
 * what was stored, and the client gets the one JSON error shape.
 */
final class JobUpload {

  private static final Logger LOG = Logger.getLogger(JobUpload.class.getName());
  private static final int CHUNK_NAMES = 1000;
  private static final int CHUNK_CHARS = 256 * 1024;

  private final RoutingContext ctx;
  private final HttpServerRequest request;
  private final JobStore.Upload upload;
  private final long maxBytes;
  private final Promise<Void> finished = Promise.promise();

  private NameReaders.Reader reader;
  private List<String> chunk = new ArrayList<>();
  private int chunkChars;
  private long received;
  private long names;
  /** The chunks sent so far, in order; the next one is sent after it. */
  private Future<Void> stored = Future.succeededFuture();
  private int sending;
  private boolean ended;
  private boolean committing;
  private boolean done;

  private JobUpload(RoutingContext ctx, JobStore jobs, long maxBytes) {
    this.ctx = ctx;
    this.request = ctx.request();
    this.upload = jobs.upload();
    this.maxBytes = maxBytes;
  }

  /**
   * Reads the body of {@code ctx} into a new job and answers the request (201 {"id", "total"}, or
   * the error). The future completes once the upload is over and whatever failed is cleaned up.
   */
  static Future<Void> start(RoutingContext ctx, JobStore jobs, long maxBytes) {
    JobUpload u = new JobUpload(ctx, jobs, maxBytes);
    u.begin();
    return u.finished.future();
  }

  private void begin() {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
        && Long.parseLong(length) > maxBytes) {
      fail(ApiSupport.refuse(413, tooLarge()));
      return;
    }
    if (request.isEnded()) { // nothing left to read (an empty body, already ended)
      end();
      return;
    }
    request.handler(this::data);
    request.endHandler(v -> end());
    request.exceptionHandler(this::clientLeft);
    ctx.response().closeHandler(v -> clientLeft(null));
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      ctx.response().writeContinue();
    }
    request.resume(); // in case a handler before paused it; the body now has its handlers
  }

  private String tooLarge() {
    return "request body too large: the limit is " + maxBytes + " bytes (web.maxJobBytes)";
  }

  private void data(Buffer data) {
    if (done) {
      return;
    }
    received += data.length();
    if (received > maxBytes) {
      fail(ApiSupport.refuse(413, tooLarge()));
      return;
    }
    try {
      if (reader == null) {
        int first = firstNonBlank(data);
        if (first < 0) {
          return; // blank so far: either kind of body may still follow
        }
        reader = isJson(data.getByte(first)) ? new NameReaders.JsonDomains(this::name) : new NameReaders.Lines(this::name);
        data = data.slice(first, data.length());
      }
      reader.feed(data);
    } catch (HttpException e) {
      fail(e);
      return;
    } catch (RuntimeException e) { // the JSON parser's own trouble: still the body's fault
      LOG.fine(() -> "job upload " + upload.id() + ": unreadable body: " + e);
      fail(ApiSupport.refuse(400, "malformed body: " + NameReaders.SEND));
      return;
    }
    if (sending > 0) {
      request.pause(); // resumed when the chunks are stored
    }
  }

  /** JSON when the content type says so, text when it is text, else by the first character. */
  private boolean isJson(byte first) {
    Boolean byType = jsonByType();
    return byType != null ? byType : first == '{' || first == '[';
  }

  /** True for a JSON type, false for text, null for any other type (or none). */
  private Boolean jsonByType() {
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null) {
      type = type.toLowerCase(Locale.ROOT);
      if (type.startsWith("application/json") || type.contains("+json")) {
        return true;
      }
      if (type.startsWith("text/")) {
        return false;
      }
    }
    return null;
  }

  private static int firstNonBlank(Buffer data) {
    for (int i = 0; i < data.length(); i++) {
      if (!Character.isWhitespace(data.getByte(i))) {
        return i;
      }
    }
    return -1;
  }

  private void name(String name) {
    chunk.add(name);
    chunkChars += name.length();
    names++;
    if (chunk.size() >= CHUNK_NAMES || chunkChars >= CHUNK_CHARS) {
      send();
    }
  }

  /** Sends the names gathered so far after those already sent. */
  private void send() {
    if (chunk.isEmpty()) {
      return;
    }
    List<String> part = chunk;
    chunk = new ArrayList<>();
    chunkChars = 0;
    sending++;
    stored = stored.compose(v -> upload.add(part)).andThen(ar -> {
      sending--;
      if (ar.failed()) {
        storeFailed(ar.cause());
      } else if (sending == 0 && !done) {
        if (ended) {
          commit();
        } else {
          request.resume();
        }
      }
    });
  }

  private void end() {
    if (done) {
      return;
    }
    ended = true;
    try {
      if (reader == null) {
        throw received == 0 ? ApiSupport.refuse(400, "empty body: " + NameReaders.SEND)
            : Boolean.TRUE.equals(jsonByType()) ? ApiSupport.refuse(400, "malformed JSON: " + NameReaders.SEND)
            : ApiSupport.refuse(400, "no names in the request");
      }
      reader.end();
      if (names == 0) {
        throw ApiSupport.refuse(400, "no names in the request");
      }
    } catch (HttpException e) {
      fail(e);
      return;
    }
    send();
    if (sending == 0) {
      commit();
    }
  }

  private void commit() {
    if (committing || done) {
      return;
    }
    committing = true;
    stored.compose(v -> upload.commit()).onComplete(ar -> {
      done = true;
      finished.complete(); // a failed commit is not undone here: its names expire unless it went through
      if (ar.failed()) {
        ApiSupport.storeFailed(ctx, ar.cause());
      } else if (!ctx.response().closed()) {
        ctx.response().setStatusCode(201);
        ctx.json(ar.result());
      }
    });
  }

  /** The client's error: answered, and the rest of the body is not read. */
  private void fail(HttpException e) {
    if (done || committing) {
      return;
    }
    done = true;
    ApiSupport.errorAndClose(ctx, e.getStatusCode(), e.getPayload());
    cleanUp();
  }

  private void storeFailed(Throwable cause) {
    if (done || committing) {
      return;
    }
    done = true;
    if (!ctx.response().closed()) {
      ApiSupport.storeFailed(ctx, cause);
    }
    cleanUp();
  }

  /** The connection closed before the upload was over: nothing to answer, and no error of the node. */
  private void clientLeft(Throwable cause) {
    if (done || committing) {
      return;
    }
    done = true;
    LOG.fine(() -> "job upload " + upload.id() + ": the client left after " + received + " bytes"
        + (cause == null ? "" : ": " + cause));
    cleanUp();
  }

  /** Deletes the names stored, once the chunks on their way have arrived (or failed). */
  private void cleanUp() {
    stored.transform(ar -> upload.abort()).onComplete(ar -> finished.complete());
  }
}
