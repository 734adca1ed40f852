package io.dgadmesh.hostwatch;

import io.dgadmesh.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.logging.Logger;

/**
 * POSTs each alert as JSON to {@code alerts.webhook}. At most {@link #IN_FLIGHT} posts at once,
 * each with a timeout: a slow or dead receiver costs dropped alerts (counted, and still in
 * {@code dgad:alerts}), never a growing queue.
 */
final class AlertWebhook {
  private static final Logger LOG = Logger.getLogger(AlertWebhook.class.getName());
  static final int IN_FLIGHT = 8;
  private static final long TIMEOUT_MS = 5_000;

  private final HttpClient http;
  private final RequestOptions target;
  private int inFlight;

  AlertWebhook(Vertx vertx, String url) {
    if (url == null || url.isEmpty()) {
      http = null;
      target = null;
      return;
    }
    URI u = URI.create(url);
    boolean tls = "https".equals(u.getScheme());
    http = vertx.createHttpClient(new HttpClientOptions().setSsl(tls));
    int port = u.getPort() > 0 ? u.getPort() : tls ? 443 : 80;
    String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    target = new RequestOptions().setMethod(HttpMethod.POST).setHost(u.getHost()).setPort(port).setURI(path)
        .setSsl(tls).setTimeout(TIMEOUT_MS).putHeader("content-type", "application/json");
  }

  void post(String json) {
    if (http == null) {
      return;
    }
    if (inFlight >= IN_FLIGHT) {
      NodeMetrics.alertWebhookDropped();
      return;
    }
    inFlight++;
    http.request(target).compose(req -> req.send(Buffer.buffer(json))).compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          inFlight--;
          if (ar.failed() || ar.result() >= 300) {
            NodeMetrics.alertWebhookDropped();
            LOG.warning("alert webhook: " + (ar.failed() ? ar.cause().getMessage() : "HTTP " + ar.result()));
          }
        });
  }

  Future<Void> close() {
    return http == null ? Future.succeededFuture() : http.close();
  }
}
