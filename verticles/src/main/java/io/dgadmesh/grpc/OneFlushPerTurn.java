package io.dgadmesh.grpc;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * One socket write per event-loop turn on a gRPC connection. A classifier batch answers many
 * single-name calls in one event-loop task, outside any socket read, where Vert.x flushes each
 * response's message and again its trailers: two writev calls per call. Netty's
 * FlushConsolidationHandler, first in the pipeline, turns them into one flush after the task (and
 * flushes at once after 256 pending ones).
 *
 * <p>Reaches Netty through {@link ConnectionBase}, Vert.x's internal connection class (Vert.x
 * 5.0.x); a connection of another kind is left as it is.
 */
final class OneFlushPerTurn {
  private static final int FLUSH_AT_MOST_AFTER = 256;

  private OneFlushPerTurn() {}

  static void install(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channel().pipeline().addFirst(new FlushConsolidationHandler(FLUSH_AT_MOST_AFTER, true));
    }
  }
}
