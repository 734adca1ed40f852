package io.dgadmesh.grpc;

import io.netty.channel.ChannelPipeline;
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
  /** The name of Vert.x's SslHandler in a connection's pipeline (Vert.x 5.0.x, NetServerImpl). */
  private static final String SSL = "ssl";

  private OneFlushPerTurn() {}

  static void install(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      FlushConsolidationHandler oneFlush = new FlushConsolidationHandler(FLUSH_AT_MOST_AFTER, true);
      if (pipeline.get(SSL) != null) {
        // Behind TLS (toward the application): the turn's writes then go into the TLS engine
        // together, and leave as few records in one socket write.
        pipeline.addAfter(SSL, null, oneFlush);
      } else {
        pipeline.addFirst(oneFlush);
      }
    }
  }
}
