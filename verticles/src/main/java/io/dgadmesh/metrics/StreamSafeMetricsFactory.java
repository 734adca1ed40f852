package io.dgadmesh.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;

/**
 * Vert.x's metrics from another factory (Micrometer's), with one guard. Vert.x 5.0.7 reports an
 * HTTP/2 stream closed before its headers were handled as {@code requestReset(null)}: the request
 * metric is made in {@code onHeaders}, which runs on the connection's context after the stream
 * exists. vertx-micrometer's server metrics then throw a NullPointerException inside Netty's
 * stream-closed listener, which Netty logs at SEVERE (a gRPC client that closes its connection with
 * a call just sent is enough). A request that never began has nothing to reset, so the guard drops
 * that call and passes every other call through unchanged.
 */
public final class StreamSafeMetricsFactory implements VertxMetricsFactory {

  private final VertxMetricsFactory delegate;

  public StreamSafeMetricsFactory(VertxMetricsFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    return new Guarded(delegate.metrics(options));
  }

  @Override
  public MetricsOptions newOptions() {
    return delegate.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return delegate.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return delegate.newOptions(json);
  }

  private record Guarded(VertxMetrics m) implements VertxMetrics {
    @Override
    public EventBusMetrics createEventBusMetrics() {
      return m.createEventBusMetrics();
    }

    @Override
    @SuppressWarnings("unchecked")
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
      HttpServerMetrics<?, ?, ?> server = m.createHttpServerMetrics(options, localAddress);
      return server == null ? null : new ResetSafeServerMetrics((HttpServerMetrics<Object, Object, Object>) server);
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
      return m.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      return m.createHttpClientMetrics(options);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
      return m.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return m.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return m.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
      return m.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(Vertx vertx) {
      m.vertxCreated(vertx);
    }

    @Override
    public boolean isMetricsEnabled() {
      return m.isMetricsEnabled();
    }

    @Override
    public void close() {
      m.close();
    }
  }

  /** Passes every call through, but a reset of a request whose metric never began. */
  record ResetSafeServerMetrics(HttpServerMetrics<Object, Object, Object> m)
      implements HttpServerMetrics<Object, Object, Object> {
    @Override
    public void requestReset(Object requestMetric) {
      if (requestMetric != null) {
        m.requestReset(requestMetric);
      }
    }

    @Override
    public Object requestBegin(Object socketMetric, HttpRequest request) {
      return m.requestBegin(socketMetric, request);
    }

    @Override
    public void requestEnd(Object requestMetric, HttpRequest request, long bytesRead) {
      m.requestEnd(requestMetric, request, bytesRead);
    }

    @Override
    public void responseBegin(Object requestMetric, HttpResponse response) {
      m.responseBegin(requestMetric, response);
    }

    @Override
    public Object responsePushed(Object socketMetric, io.vertx.core.http.HttpMethod method, String uri,
        HttpResponse response) {
      return m.responsePushed(socketMetric, method, uri, response);
    }

    @Override
    public void responseEnd(Object requestMetric, HttpResponse response, long bytesWritten) {
      m.responseEnd(requestMetric, response, bytesWritten);
    }

    @Override
    public Object connected(Object socketMetric, Object requestMetric, ServerWebSocket serverWebSocket) {
      return m.connected(socketMetric, requestMetric, serverWebSocket);
    }

    @Override
    public void disconnected(Object serverWebSocketMetric) {
      m.disconnected(serverWebSocketMetric);
    }

    @Override
    public void requestRouted(Object requestMetric, String route) {
      m.requestRouted(requestMetric, route);
    }

    @Override
    public Object connected(SocketAddress remoteAddress, String remoteName) {
      return m.connected(remoteAddress, remoteName);
    }

    @Override
    public void disconnected(Object socketMetric, SocketAddress remoteAddress) {
      m.disconnected(socketMetric, remoteAddress);
    }

    @Override
    public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      m.bytesRead(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      m.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void exceptionOccurred(Object socketMetric, SocketAddress remoteAddress, Throwable t) {
      m.exceptionOccurred(socketMetric, remoteAddress, t);
    }

    @Override
    public void close() {
      m.close();
    }
  }
}
