package io.dgadmesh.grpc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * At most grpc.maxConnections open connections on one gRPC port: one more is closed as soon as it
 * is accepted, so that clients (idle ones included) can never take the node's file descriptors,
 * which every port and Redis need too. Counted at the listening socket, so a connection that
 * never speaks HTTP/2 counts as well: a Netty handler in front of the server channel's acceptor
 * sees every accepted connection before Vert.x does.
 *
 * <p>Vert.x has no public way to the listening socket: it is read from Vert.x 5.0.x internals
 * (HttpServerImpl's NetServerImpl, the one that bound the port, and its bind future). Should they
 * change, the cap counts HTTP connections instead (which it sees only once they have spoken), and
 * says so in the log.
 */
@ChannelHandler.Sharable
final class ConnectionCap extends ChannelInboundHandlerAdapter implements Shareable {

  private static final Logger LOG = Logger.getLogger(ConnectionCap.class.getName());
  private static final String NAME = "dgad-connection-cap";
  private static final long LOG_EVERY_NS = TimeUnit.MINUTES.toNanos(1);

  private final int port;
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NS);
  private volatile boolean atSocket;

  private ConnectionCap(int port, int max) {
    this.port = port;
    this.max = max;
  }

  /** The port's cap, one per Vert.x instance and port: the verticle instances sharing a port share it. */
  static ConnectionCap of(Vertx vertx, int port, int max) {
    LocalMap<Integer, ConnectionCap> caps = vertx.sharedData().getLocalMap("dgad.grpc.connectionCaps");
    return caps.computeIfAbsent(port, p -> new ConnectionCap(port, max));
  }

  /**
   * After {@code server} listens: puts the cap in front of the port's listening socket, unless it
   * is there already (the instances sharing the port share one socket; a redeployed verticle binds
   * a new one). Completes once the cap is in place: added from another thread, Netty would pass
   * connections accepted before its event loop ran the addition around the cap (a CI run counted
   * three of four sockets that way).
   */
  Future<HttpServer> install(HttpServer server) {
    Channel listening;
    try {
      listening = listeningChannel(server);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warning("gRPC port " + port + ": grpc.maxConnections counts HTTP connections only (the listening socket"
          + " is out of reach in this Vert.x: " + e + ")");
      return Future.succeededFuture(server);
    }
    Promise<HttpServer> placed = Promise.promise();
    Context caller = Vertx.currentContext(); // the deploying verticle's: its start goes on there
    listening.eventLoop().execute(() -> { // on the acceptor's loop: in place before its next accept
      try {
        if (listening.pipeline().get(NAME) == null) {
          listening.pipeline().addFirst(NAME, this);
        }
        atSocket = true;
        caller.runOnContext(v -> placed.complete(server));
      } catch (RuntimeException e) {
        caller.runOnContext(v -> placed.fail(e));
      }
    });
    return placed.future();
  }

  /**
   * For the servers' connection handler: counts HTTP connections while the listening socket is
   * out of reach, and closes one over the cap.
   */
  void onHttpConnection(HttpConnection connection) {
    if (atSocket) {
      return;
    }
    if (!admit()) {
      connection.close();
      return;
    }
    connection.closeHandler(v -> open.decrementAndGet());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel child) {
      if (!admit()) {
        child.unsafe().closeForcibly(); // not registered yet: closed at once, nothing of Vert.x built for it
        return;
      }
      child.closeFuture().addListener(f -> open.decrementAndGet());
    }
    ctx.fireChannelRead(msg);
  }

  /** What the cap counts now, for a test's failure message and a log line. */
  @Override
  public String toString() {
    return "gRPC port " + port + " cap: " + open.get() + " of " + max + " open, " + refused.get() + " refused, counted "
        + (atSocket ? "at the listening socket" : "as HTTP connections");
  }

  private boolean admit() {
    if (open.incrementAndGet() <= max) {
      return true;
    }
    open.decrementAndGet();
    long n = refused.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last >= LOG_EVERY_NS && lastLog.compareAndSet(last, now)) {
      LOG.warning("gRPC port " + port + ": " + max + " connections open (grpc.maxConnections); refusing more ("
          + n + " refused so far)");
    }
    return false;
  }

  private static Channel listeningChannel(HttpServer server) throws ReflectiveOperationException {
    Object tcp = field(server, "tcpServer");
    Object bound = field(tcp, "actualServer");
    Future<?> bind = (Future<?>) field(bound, "bindFuture");
    if (bind == null || !(bind.result() instanceof Channel channel)) {
      throw new IllegalStateException("not listening");
    }
    return channel;
  }

  private static Object field(Object o, String name) throws ReflectiveOperationException {
    for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(o.getClass().getName() + "." + name);
  }
}
