package io.dgadmesh.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code web.maxConnections} connections to the web port, so that idle or slow clients
 * cannot take every file descriptor of the node (and with them the other ports). Past the cap a
 * few more connections ({@link #PROBE_RESERVE}) are kept for probes: they get answers on
 * {@code /health/*} only (anything else 503), each with {@code Connection: close}, and are closed
 * after {@link #PROBE_LIFETIME_MS} in any case. Past those, a connection is closed at once.
 * So an orchestrator's probe still gets through a flood of idle connections, unless the flood
 * also keeps the reserve full.
 */
final class ConnectionLimit {

  static final int PROBE_RESERVE = 16;
  static final long PROBE_LIFETIME_MS = 5_000;

  private final Vertx vertx;
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<HttpConnection> probesOnly = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  ConnectionLimit(Vertx vertx, int max) {
    this.vertx = vertx;
    this.max = max;
  }

  /** The server's connection handler: counts the connection and enforces the cap. */
  void connected(HttpConnection conn) {
    int n = open.incrementAndGet();
    conn.closeHandler(v -> {
      open.decrementAndGet();
      probesOnly.remove(conn);
    });
    if (n > max + PROBE_RESERVE) {
      conn.close();
    } else if (n > max) {
      probesOnly.add(conn);
      vertx.setTimer(PROBE_LIFETIME_MS, t -> conn.close());
    }
  }

  /** First on the router: a connection past the cap is answered on {@code /health/*} only. */
  void gate(RoutingContext ctx) {
    if (probesOnly.isEmpty() || !probesOnly.contains(ctx.request().connection())) {
      ctx.next();
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    if (ctx.request().path().startsWith("/health/")) {
      ctx.next();
      return;
    }
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
    ApiSupport.error(ctx, 503, "too many connections to this node (the limit is " + max
        + ", web.maxConnections): try again later");
  }

  /** Connections open now. */
  int open() {
    return open.get();
  }
}
