package io.dgadmesh.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CSPHandler;
import io.vertx.ext.web.handler.HSTSHandler;
import io.vertx.ext.web.handler.XFrameHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The headers every answer carries. The page is plain HTML, CSS and JavaScript modules from this
 * server, and it shows names from DGA feeds, which carry hostile strings: so it may load nothing
 * from elsewhere, run no inline script or style, and never be framed.
 */
final class SecurityHeaders {

  /** The Content-Security-Policy directives, in the order the header lists them. */
  private static final Map<String, String> POLICY = new LinkedHashMap<>();

  static {
    POLICY.put("default-src", "'none'");
    POLICY.put("script-src", "'self'");
    POLICY.put("style-src", "'self'");
    POLICY.put("img-src", "'self' data:");
    POLICY.put("connect-src", "'self'");
    POLICY.put("font-src", "'self'");
    POLICY.put("manifest-src", "'self'");
    POLICY.put("form-action", "'self'");
    POLICY.put("base-uri", "'none'");
    POLICY.put("frame-ancestors", "'none'");
  }

  /** The Content-Security-Policy header as sent. */
  static final String CSP = POLICY.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
      .collect(Collectors.joining("; "));

  private SecurityHeaders() {}

  /** On every route, ahead of everything else. */
  static void mount(Router router) {
    CSPHandler csp = CSPHandler.create();
    POLICY.forEach(csp::setDirective); // default-src replaces the handler's own 'self'
    router.route()
        .handler(csp)
        .handler(XFrameHandler.create(XFrameHandler.DENY))
        // Strict-Transport-Security only on TLS (or behind a proxy that says Front-End-Https).
        .handler(HSTSHandler.create())
        .handler(SecurityHeaders::others);
  }

  /** The rest, which vertx-web has no handler for. */
  private static void others(RoutingContext ctx) {
    ctx.response().headers()
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("Cross-Origin-Opener-Policy", "same-origin")
        .set("Cross-Origin-Resource-Policy", "same-origin");
    ctx.next();
  }
}
