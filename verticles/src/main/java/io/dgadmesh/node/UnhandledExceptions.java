package io.dgadmesh.node;

import io.dgadmesh.metrics.NodeMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The node's handler for exceptions no handler caught: logged at SEVERE, as Vert.x does without
 * one, except answers to gRPC clients that have gone, which are not errors of the node. The
 * generated gRPC services write the answer when its future completes; when the client has reset
 * the stream (a deadline, a cancelled call) Vert.x gRPC throws "The stream is failed", and when it
 * has closed the connection Vert.x's HTTP/2 stream throws a NullPointerException (its cancelled
 * write has no promise to fail; VertxHttp2Stream, unchanged from 5.0.7 to 5.0.10). Either answer
 * had nowhere to go; it is counted ({@code dgad_grpc_answers_dropped_total}) and logged at FINE,
 * so clients with deadlines do not fill the log with stack traces.
 */
public final class UnhandledExceptions implements Handler<Throwable> {

  private static final Logger LOG = Logger.getLogger(UnhandledExceptions.class.getName());

  private UnhandledExceptions() {}

  /**
   * When the client's reset arrives while the answer still waits in the stream's outbound queue,
   * the same NullPointerException is thrown inside Netty's stream-closed listener, and Netty logs
   * it itself, at SEVERE, on this logger. Held here: java.util.logging keeps loggers weakly.
   */
  static final Logger NETTY_HTTP2 = Logger.getLogger("io.netty.handler.codec.http2.DefaultHttp2Connection");

  public static void install(Vertx vertx) {
    vertx.exceptionHandler(new UnhandledExceptions());
    synchronized (NETTY_HTTP2) {
      if (!(NETTY_HTTP2.getFilter() instanceof GoneClientFilter)) {
        NETTY_HTTP2.setFilter(new GoneClientFilter(NETTY_HTTP2.getFilter()));
      }
    }
  }

  /** Lets every record through but those of answers to gone clients, which it counts instead. */
  private record GoneClientFilter(Filter next) implements Filter {
    @Override
    public boolean isLoggable(LogRecord r) {
      if (r.getThrown() != null && droppedIfGone(r.getThrown())) {
        return false;
      }
      return next == null || next.isLoggable(r);
    }
  }

  @Override
  public void handle(Throwable t) {
    if (!droppedIfGone(t)) {
      LOG.log(Level.SEVERE, "Unhandled exception", t);
    }
  }

  /** Counts and logs at FINE an answer to a gone client; false for anything else. */
  private static boolean droppedIfGone(Throwable t) {
    if (!isAnswerToAGoneClient(t)) {
      return false;
    }
    NodeMetrics.answerDropped();
    LOG.log(Level.FINE, "an answer to a gRPC client that had gone was dropped", t);
    return true;
  }

  private static boolean fromGrpc(StackTraceElement[] stack) {
    for (StackTraceElement e : stack) {
      if (e.getClassName().startsWith("io.vertx.grpc.") || e.getClassName().startsWith("io.dgadmesh.grpc.")) {
        return true;
      }
    }
    return false;
  }

  static boolean isAnswerToAGoneClient(Throwable t) {
    StackTraceElement[] stack = t.getStackTrace();
    if (stack.length == 0) {
      return false;
    }
    StackTraceElement top = stack[0];
    if (t instanceof IllegalStateException) {
      String message = String.valueOf(t.getMessage());
      // The client reset the stream; or Vert.x ended the call itself (a message over
      // grpc.maxMessageBytes) and an answer or Vert.x's own second end found it closed.
      boolean grpcStream = top.getClassName().equals("io.vertx.grpc.common.impl.GrpcWriteStreamBase")
          && (message.startsWith("The stream is failed") || message.startsWith("The stream has been closed"));
      boolean grpcResponse = top.getClassName().equals("io.vertx.core.http.impl.Http2ServerResponse")
          && message.startsWith("Response has already been written") && fromGrpc(stack);
      return grpcStream || grpcResponse;
    }
    return t instanceof NullPointerException // the client closed the connection
        && top.getClassName().startsWith("io.vertx.core.http.impl.VertxHttp2Stream")
        && top.getMethodName().equals("cancel");
  }
}
