package io.dgadmesh.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every {@code /api} route shares, so that they all answer alike: the error shape
 * ({@code {"error": "..."}} with its status), the failure handler that gives every failure that
 * shape, request bodies with a limit, and the names in a body.
 *
 * <p>A handler refuses a request by throwing (or failing the context with) an
 * {@link HttpException} whose payload is the message for the client. Only internal errors (500)
 * are logged as such; a client that left mid-request is no error of the node (FINE), and a Redis
 * failure is logged here and shown to the client only as "Redis did not answer".
 */
final class ApiSupport {

  private static final Logger LOG = Logger.getLogger(ApiSupport.class.getName());

  /** Routing-context key: the body limit of the route, named in its 413 answer. */
  private static final String BODY_LIMIT = "dgad.bodyLimit";
  private static final String SEND = NameReaders.SEND;
  /** The methods of HTTP/1.1 and PATCH; any other is answered 501 before a route sees it. */
  private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
      HttpMethod.DELETE, HttpMethod.CONNECT, HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PATCH);
  /** Redis failures are logged at WARNING at most this often (an outage fails every request), else FINE. */
  private static final long STORE_WARNING_EVERY_NS = TimeUnit.SECONDS.toNanos(10);
  /** How long the rest of a refused body is read and dropped at most, before its connection closes. */
  private static final long LINGER_MS = 10_000;
  private static final AtomicLong LAST_STORE_WARNING = new AtomicLong(System.nanoTime() - STORE_WARNING_EVERY_NS);

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
   * After the routes of {@code path}: any other method gets 405 with the {@code Allow} header
   * ({@code allowed}, e.g. "GET, POST"), not the 404 of a path that does not exist.
   */
  static void allow(Router router, String path, String allowed) {
    router.route(path).handler(ctx -> {
      ctx.response().putHeader(HttpHeaders.ALLOW, allowed);
      error(ctx, 405, "method " + ctx.request().method() + " not allowed on " + path + " (allowed: " + allowed + ")");
    });
  }

  /**
   * A method outside the standard ones is 501, ahead of every route: {@code HttpMethod.valueOf}
   * takes any token a client sends, and no answer should depend on one.
   */
  static void knownMethod(RoutingContext ctx) {
    if (!METHODS.contains(ctx.request().method())) {
      error(ctx, 501, "unknown method (this server knows GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE, CONNECT)");
      return;
    }
    ctx.next();
  }

  /**
   * Redis (the store) failed: 503 "Redis did not answer", never the store's own message, which
   * names keys and commands. The detail goes to the log.
   */
  static void storeFailed(RoutingContext ctx, Throwable cause) {
    long now = System.nanoTime();
    long last = LAST_STORE_WARNING.get();
    Level level = now - last >= STORE_WARNING_EVERY_NS && LAST_STORE_WARNING.compareAndSet(last, now)
        ? Level.WARNING : Level.FINE;
    LOG.log(level, () -> "HTTP " + ctx.request().method() + " " + ctx.request().path() + ": Redis failed: " + cause);
    if (ctx.response().headWritten()) {
      ctx.response().reset(); // too late for an error body: only cutting the answer short tells the client
      return;
    }
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
    errorAndClose(ctx, 503, "Redis did not answer; try again later");
  }

  /**
   * An error answered before the request body was read to its end (a body refused as it
   * arrives). Closing at once, while the client still sends, would reset the connection and
   * could lose the answer on its way to the client; so the rest of the body is read and dropped,
   * and the connection closes when it ends, or after {@link #LINGER_MS} whatever comes.
   */
  static void errorAndClose(RoutingContext ctx, int status, String message) {
    HttpServerRequest request = ctx.request();
    if (request.isEnded()) {
      error(ctx, status, message);
      return;
    }
    HttpConnection connection = request.connection();
    // The answer is written before the rest of the body is let in: resuming can deliver the
    // body's end at once, and closing the connection then, before the answer, lost it.
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close").setStatusCode(status);
    Future<Void> answered = ctx.json(new JsonObject().put("error", message));
    long linger = ctx.vertx().setTimer(LINGER_MS, t -> connection.close());
    request.handler(dropped -> { }).endHandler(v -> {
      ctx.vertx().cancelTimer(linger);
      answered.onComplete(x -> connection.close());
    });
    request.resume();
  }

  /** A failure that only says the client closed the connection (an upload it aborted, say). */
  static boolean clientLeft(Throwable cause, HttpServerResponse response) {
    return cause instanceof HttpClosedException || response.closed();
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
    if (clientLeft(cause, response)) {
      LOG.fine(() -> "HTTP " + ctx.request().method() + " " + ctx.request().path() + ": the client left: " + cause);
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
      error(ctx, 500, "internal error (the node's log has the detail)");
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
