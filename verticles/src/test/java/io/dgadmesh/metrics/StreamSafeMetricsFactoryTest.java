package io.dgadmesh.metrics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.dgadmesh.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.VertxMetricsFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.Test;

/** Vert.x's reset of an HTTP/2 stream whose request never began must not throw out of the metrics. */
class StreamSafeMetricsFactoryTest {

  private static final SocketAddress LOCAL = SocketAddress.inetSocketAddress(8080, "127.0.0.1");

  private final List<Vertx> made = new ArrayList<>();

  @AfterEach
  void close() {
    made.forEach(v -> Poll.get(v.close(), 10_000));
  }

  /** The HTTP server metrics a Vert.x instance built with this factory gives its servers. */
  @SuppressWarnings("unchecked")
  private HttpServerMetrics<Object, Object, Object> serverMetrics(VertxMetricsFactory f) {
    Vertx vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(NodeMetrics.vertxMetricsOptions()))
        .withMetrics(f).build();
    made.add(vertx);
    return (HttpServerMetrics<Object, Object, Object>) ((VertxInternal) vertx).metrics()
        .createHttpServerMetrics(new HttpServerOptions(), LOCAL);
  }

  private static final HttpRequest GET = new HttpRequest() {
    public int id() {
      return 1;
    }

    public String uri() {
      return "/x";
    }

    public String absoluteURI() {
      return "http://127.0.0.1:8080/x";
    }

    public HttpMethod method() {
      return HttpMethod.POST;
    }

    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }

    public SocketAddress remoteAddress() {
      return SocketAddress.inetSocketAddress(40000, "127.0.0.1");
    }
  };

  @Test
  void micrometerAloneThrowsOnAResetOfARequestThatNeverBegan() {
    // The reason for the guard; when an upgrade makes this fail, the guard can go.
    HttpServerMetrics<Object, Object, Object> bare = serverMetrics(new MicrometerMetricsFactory(new SimpleMeterRegistry()));
    assertThrows(NullPointerException.class, () -> bare.requestReset(null));
  }

  @Test
  void theGuardDropsThatResetAndCountsARealOne() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HttpServerMetrics<Object, Object, Object> guarded = serverMetrics(
        new StreamSafeMetricsFactory(new MicrometerMetricsFactory(registry)));
    assertDoesNotThrow(() -> guarded.requestReset(null));

    Object connection = guarded.connected(GET.remoteAddress(), "client");
    Object request = guarded.requestBegin(connection, GET);
    guarded.requestReset(request);
    assertEquals(1.0, registry.get("vertx.http.server.request.resets").counter().count(), "a begun request's reset is counted");
  }
}
