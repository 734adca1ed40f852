package io.dgadmesh.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SimpleAuthenticationHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The access token ({@code web.token}, {@code DGAD_WEB_TOKEN}) as a vertx-auth provider: it
 * accepts exactly that token, compared in constant time so that the answer's timing tells
 * nothing about how much of a guess was right.
 */
final class TokenAuth implements AuthenticationProvider {

  private static final String STREAM = "/api/stream";

  private final byte[] token;

  private TokenAuth(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    if (credentials instanceof TokenCredentials t && t.getToken() != null
        && MessageDigest.isEqual(token, t.getToken().getBytes(StandardCharsets.UTF_8))) {
      return Future.succeededFuture(User.fromName("web-token"));
    }
    return Future.failedFuture("wrong token");
  }

  /**
   * The handler that guards a route: {@code Authorization: Bearer <token>}, or for the event
   * stream also {@code ?access_token=}, since a browser's EventSource cannot send headers. 401
   * with {@code WWW-Authenticate} otherwise. With no token configured, every request passes.
   */
  static Handler<RoutingContext> handler(String token) {
    if (token == null || token.isEmpty()) {
      return RoutingContext::next;
    }
    TokenAuth provider = new TokenAuth(token);
    return SimpleAuthenticationHandler.create().authenticate(ctx -> {
      String given = given(ctx);
      Future<User> user = given == null
          ? Future.failedFuture(ApiSupport.refuse(401, "a token is required (Authorization: Bearer <DGAD_WEB_TOKEN>)"))
          : provider.authenticate(new TokenCredentials(given))
              .recover(e -> Future.failedFuture(ApiSupport.refuse(401, "wrong token")));
      return user.onFailure(e -> ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"dgad\""));
    });
  }

  private static String given(RoutingContext ctx) {
    String h = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return h.substring(7).trim();
    }
    return ctx.request().path().equals(STREAM) ? ctx.request().getParam("access_token") : null;
  }
}
