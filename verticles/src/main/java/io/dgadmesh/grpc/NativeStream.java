package io.dgadmesh.grpc;

import io.dgadmesh.grpc.WireNames.Sent;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.ArrayDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One ClassifyStream call: each request message gets one response message, in order. Messages
 * are classified ahead of the one being written, but a stream holds at most
 * {@link #READ_AHEAD_NAMES} names (and {@link #READ_AHEAD_MESSAGES} messages) read and not yet
 * written to the client; one message of more names is taken alone. Past that it stops reading:
 * its HTTP/2 stream is paused, so flow control keeps the client's further messages in the client.
 * A client that does not read its answers is thus no longer read from, and holds one message and
 * its answer, not the classifiers' time or the heap; the idle timeout (grpc.idleTimeoutSeconds)
 * ends its connection once nothing moves on it.
 */
final class NativeStream {

  private static final Logger LOG = Logger.getLogger(NativeStream.class.getName());

  static final int READ_AHEAD_NAMES = 2_000;
  static final int READ_AHEAD_MESSAGES = 32;

  private final GrpcServerRequest<Sent, ClassifyResponse> request;
  private final HttpServerRequest http;
  private final GrpcServerResponse<?, ClassifyResponse> response;
  private final Call<ClassifyResponse> call;
  private final NativeService service;
  /** Read, not yet started. */
  private final ArrayDeque<Sent> waiting = new ArrayDeque<>();
  /** Messages started and their names: classified or being classified, not yet written. */
  private int active;
  private int activeNames;
  /** Completes when the previous message's answer is written: answers leave in order. */
  private Future<Void> tail = Future.succeededFuture();
  private boolean paused;
  private boolean ended;
  private boolean over;

  private NativeStream(GrpcServerRequest<Sent, ClassifyResponse> request, HttpServerRequest http, NativeService service) {
    this.request = request;
    this.http = http;
    this.call = Call.of(request);
    this.response = call.response();
    this.service = service;
  }

  /** {@code http}: the HTTP request under the call, or null to pause the gRPC stream instead. */
  static void start(GrpcServerRequest<Sent, ClassifyResponse> request, HttpServerRequest http, NativeService service) {
    NativeStream stream = new NativeStream(request, http, service);
    request.handler(stream::onMessage);
    request.endHandler(v -> {
      stream.ended = true;
      stream.pump();
    });
  }

  private boolean stopped() {
    return over || call.gone();
  }

  private void onMessage(Sent message) {
    if (stopped()) {
      return; // read after a failure, or after the client left: nobody waits for its answer
    }
    waiting.add(message);
    pump();
  }

  /** Starts what the read-ahead allows, ends the call when all is written, and reads on or pauses. */
  private void pump() {
    if (call.gone() && !over) {
      stop(Results.Gone.INSTANCE, active > 0 || !waiting.isEmpty());
      return;
    }
    while (!over && !waiting.isEmpty() && active < READ_AHEAD_MESSAGES
        && (active == 0 || activeNames + waiting.peek().size() <= READ_AHEAD_NAMES)) {
      begin(waiting.poll());
    }
    if (over) {
      return;
    }
    if (ended && waiting.isEmpty() && active == 0) {
      over = true;
      try {
        response.end().onFailure(err -> LOG.log(Level.FINE, "stream closed before its end", err));
      } catch (IllegalStateException closed) {
        LOG.log(Level.FINE, "stream closed before its end", closed);
      }
      return;
    }
    pause(!waiting.isEmpty() || active >= READ_AHEAD_MESSAGES || activeNames >= READ_AHEAD_NAMES
        || response.writeQueueFull());
  }

  private void begin(Sent message) {
    int names = message.size();
    active++;
    activeNames += names;
    Future<ClassifyResponse> answer = service.classify(message, this::stopped);
    tail = tail.compose(v -> answer).compose(this::write);
    tail.onComplete(ar -> {
      active--;
      activeNames -= names;
      if (ar.failed()) {
        stop(ar.cause(), true);
      } else if (response.writeQueueFull()) {
        response.drainHandler(v -> pump());
        pump();
      } else {
        pump();
      }
    });
  }

  private Future<Void> write(ClassifyResponse answer) {
    if (stopped()) {
      return Future.failedFuture(Results.Gone.INSTANCE);
    }
    try {
      return response.write(answer);
    } catch (IllegalStateException closed) {
      return Future.failedFuture(closed); // closed in this event-loop turn, before its handlers ran
    }
  }

  /**
   * Ends the call with the failure's status (once), or, when the client has gone, drops the rest
   * ({@code unanswered}: there were answers still to write, counted as one dropped answer).
   */
  private void stop(Throwable failure, boolean unanswered) {
    if (over) {
      return;
    }
    over = true;
    waiting.clear();
    if (call.gone() || failure instanceof Results.Gone || failure instanceof IllegalStateException) {
      if (unanswered) {
        Call.dropped(failure);
      }
    } else {
      try {
        response.fail(Results.status(failure));
      } catch (IllegalStateException closed) {
        // Vert.x ends a call by itself when the client resets it or sends a message over
        // grpc.maxMessageBytes (RESOURCE_EXHAUSTED): the failure then has nowhere to go.
        LOG.log(Level.FINE, "stream already closed; not failed again with: " + failure, closed);
      }
    }
    pause(false); // let Vert.x take the rest off the connection and close the stream
  }

  private void pause(boolean pause) {
    if (pause == paused) {
      return;
    }
    paused = pause;
    if (http != null) {
      try {
        if (pause) {
          http.pause();
        } else {
          http.resume();
        }
      } catch (IllegalStateException ended) {
        // The client's last message has been read: nothing left to hold back.
      }
    } else if (pause) {
      request.pause();
    } else {
      request.resume();
    }
  }
}
