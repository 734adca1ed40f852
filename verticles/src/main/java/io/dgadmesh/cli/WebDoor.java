package io.dgadmesh.cli;

import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.tls.ClientTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.security.GeneralSecurityException;
import java.time.Duration;

/**
 * The commands' way to a node's web port ({@code dgad ingest}, {@code dgad job --remote}): https
 * when the configuration says the doors speak TLS ({@link ClientTls}), and the configured
 * {@code web.token} on every request.
 */
final class WebDoor {

  private final HttpClient http;
  private final String base;
  private final String token;

  private WebDoor(HttpClient http, String base, String token) {
    this.http = http;
    this.base = base;
    this.token = token;
  }

  static WebDoor of(NodeSettings settings, HostPort at) throws IOException, GeneralSecurityException {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (ClientTls.on(settings.tls())) {
      b.sslContext(ClientTls.jdk(settings.tls()));
    }
    return new WebDoor(b.build(), ClientTls.scheme(settings.tls()) + "://" + at.host() + ":" + at.port(),
        settings.web().token());
  }

  HttpClient http() {
    return http;
  }

  /** A request for {@code path} (from the root, e.g. /api/jobs), with the token when one is configured. */
  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (!token.isEmpty()) {
      b.header("authorization", "Bearer " + token);
    }
    return b;
  }

  /** The address of {@code path}, for messages. */
  String at(String path) {
    return base + path;
  }
}
