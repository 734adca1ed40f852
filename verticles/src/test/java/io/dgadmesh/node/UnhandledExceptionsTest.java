package io.dgadmesh.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which unhandled exceptions are answers that found their gRPC call closed, and which are errors. */
class UnhandledExceptionsTest {

  private static IllegalStateException thrown(String message, String... classes) {
    IllegalStateException e = new IllegalStateException(message);
    StackTraceElement[] stack = new StackTraceElement[classes.length];
    for (int i = 0; i < classes.length; i++) {
      stack[i] = new StackTraceElement(classes[i], "m", "F.java", 1);
    }
    e.setStackTrace(stack);
    return e;
  }

  @Test
  void aClosedGrpcStreamIsAGoneClient() {
    assertTrue(UnhandledExceptions.isAnswerToAGoneClient(
        thrown("The stream has been closed", "io.vertx.grpc.common.impl.GrpcWriteStreamBase")));
    assertTrue(UnhandledExceptions.isAnswerToAGoneClient(
        thrown("The stream is failed", "io.vertx.grpc.common.impl.GrpcWriteStreamBase")));
    assertTrue(UnhandledExceptions.isAnswerToAGoneClient(thrown("Response has already been written",
        "io.vertx.core.http.impl.Http2ServerResponse", "io.vertx.grpc.server.impl.GrpcServerResponseImpl")));
  }

  @Test
  void theSameMessagesElsewhereAreErrors() {
    assertFalse(UnhandledExceptions.isAnswerToAGoneClient(thrown("Response has already been written",
        "io.vertx.core.http.impl.Http2ServerResponse", "io.dgadmesh.web.ClassifyRoutes")), "the web's own double answer");
    assertFalse(UnhandledExceptions.isAnswerToAGoneClient(
        thrown("The stream has been closed", "io.dgadmesh.grpc.NativeStream")));
    assertFalse(UnhandledExceptions.isAnswerToAGoneClient(thrown("something else",
        "io.vertx.grpc.common.impl.GrpcWriteStreamBase")));
  }
}
