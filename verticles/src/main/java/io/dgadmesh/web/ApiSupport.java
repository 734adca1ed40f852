package io.dgadmesh.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every {@code /api} route shares, so that they all answer alike: the error shape
 * ({@code {"error": "..."}} with its status), the failure handler that gives every failure that
 * shape, request bodies with a limit, and the names in a body.
 *
 * <p>A handler refuses a request by throwing (or failing the context with) an
 * {@link HttpException} whose payload is the message for the client. Only internal errors (500)
 * are logged.
 */
final class ApiSupport {

  private static final Logger LOG = Logger.getLogger(ApiSupport.class.getName());

  /** Routing-context key: the body limit of the route, named in its 413 answer. */
  private static final String BODY_LIMIT = "dgad.bodyLimit";
  private static final String SEND = "send {\"domains\": [\"example.com\", ...]}, or text/plain with one name per line";

  private ApiSupport() {}

  static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status);
    ctx.json(new JsonObject().put("error", message));
  }

  /** A client error to throw from a handler, or to fail the context with. */
  static HttpException refuse(int status, String message) {
    return new HttpException(status, message);
  }

  /** POST {@code path} with a body of at most {@code limit} bytes (else 413 naming the limit). */
  static void post(Router router, String path, long limit, Handler<RoutingContext> handler) {
    // The limit goes on a route of its own: a body handler must come first on its route.
    router.post(path).handler(ctx -> ctx.put(BODY_LIMIT, limit).next());
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(limit)).handler(handler);
  }

  static void noSuchApi(RoutingContext ctx) {
    error(ctx, 404, "no such API: " + ctx.request().method() + " " + ctx.request().path());
  }

  /**
   * A path or query string with a malformed percent-escape is the client's error. Checked before
   * any route matches: matching decodes the path (and, for a route with path parameters, the
   * query), and a failure there never reaches a failure handler.
   */
  static void decodableUri(RoutingContext ctx) {
    try {
      ctx.normalizedPath();
      if (ctx.request().query() != null) {
        ctx.request().params();
      }
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "malformed URI: " + e.getMessage());
      return;
    }
    ctx.next();
  }

  /**
   * Any failed route as a JSON error with the failure's own status: a handler's refusal with its
   * message, 413 from a body handler with the limit, vertx-web's own 4xx with its reason. The
   * rest are internal errors: 500, and the only failures logged.
   */
  static void failure(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    Throwable cause = ctx.failure();
    if (response.ended()) {
      return;
    }
    if (response.headWritten()) { // too late for an error body: end the exchange
      LOG.log(Level.SEVERE, "HTTP " + ctx.request().method() + " " + ctx.request().path() + " failed mid-answer", cause);
      response.reset();
      return;
    }
    int status = ctx.statusCode();
    if (status == 413) {
      Long limit = ctx.get(BODY_LIMIT);
      error(ctx, 413, "request body too large" + (limit == null ? "" : ": the limit is " + limit + " bytes"));
    } else if (status >= 400 && status < 600 && status != 500) {
      error(ctx, status, cause instanceof HttpException he && he.getPayload() != null ? he.getPayload()
          : statusMessage(status, cause));
    } else {
      LOG.log(Level.SEVERE, "HTTP " + ctx.request().method() + " " + ctx.request().path() + " failed", cause);
      error(ctx, 500, "internal error: " + (cause == null ? "status " + status : cause.toString()));
    }
  }

  /** The status's reason, and what the failure tells the client (a body that does not decode). */
  private static String statusMessage(int status, Throwable cause) {
    String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
    String detail = cause == null || cause instanceof HttpException ? null : cause.getMessage();
    return detail == null ? reason : reason + ": " + detail;
  }

  /**
   * The names in a request body: {@code {"domains": [...]}} in JSON, or text with one name per
   * line (blank lines skipped). The entries of a JSON array are whatever the client sent; each
   * route decides what an entry that is not a string means. 400 for an empty or malformed body.
   */
  static List<Object> domains(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw refuse(400, "empty body: " + SEND);
    }
    if (!isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE), body)) {
      List<Object> names = new ArrayList<>();
      for (String line : body.toString(StandardCharsets.UTF_8).split("\r?\n")) {
        String name = line.strip();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
      return names;
    }
    Object json;
    try {
      json = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw refuse(400, "malformed JSON: " + SEND);
    }
    if (!(json instanceof JsonObject o) || !(o.getValue("domains") instanceof JsonArray a)) {
      throw refuse(400, "the body needs a \"domains\" array: " + SEND);
    }
    return a.getList();
  }

  /**
   * JSON when the content type says so, text when it is text. Any other type decides by the
   * first character: curl's {@code -d} and {@code --data-binary} send a form type whatever the
   * data, and a list of names never starts with a brace or a bracket.
   */
  private static boolean isJson(String contentType, Buffer body) {
    if (contentType != null) {
      String type = contentType.toLowerCase(Locale.ROOT);
      if (type.startsWith("application/json") || type.contains("+json")) {
        return true;
      }
      if (type.startsWith("text/")) {
        return false;
      }
    }
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (!Character.isWhitespace(b)) {
        return b == '{' || b == '[';
      }
    }
    return false;
  }

  /** The names as strings; 400 naming the first entry that is not one. */
  static List<String> strings(List<Object> names) {
    List<String> out = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      if (!(names.get(i) instanceof String name)) {
        throw refuse(400, "not a string: " + asSent(names.get(i)) + " (domains[" + i + "])");
      }
      out.add(name);
    }
    return out;
  }

  /** An entry as the client sent it, in JSON, cut to 100 characters: for echoing it back. */
  static String asSent(Object entry) {
    String s = Json.encode(entry);
    return s.length() <= 100 ? s : s.substring(0, 100) + "...";
  }
}
