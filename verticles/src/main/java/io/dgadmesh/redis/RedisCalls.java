package io.dgadmesh.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One store's Redis client and connection pool, with every call's failure turned into a
 * {@link RedisUnavailable} (Redis's text logged here, at most once a minute per distinct text, so
 * an outage or a client repeating a bad request cannot flood the log), and the pool's health for
 * readiness: how many calls wait for a connection, whether the pool refused calls lately, and
 * whether calls are pending while none has completed for a while.
 */
final class RedisCalls {

  private static final Logger LOG = Logger.getLogger(RedisStore.class.getName());
  /** A pool that refused a call this recently, or that had no call complete for this long, is not fine. */
  static final long UNHEALTHY_MS = 10_000;
  private static final long LOG_AGAIN_MS = 60_000;
  private static final int LOGGED_CHARS = 300;

  private final Redis redis;
  private final String where;
  private final RedisStore.Pool pool;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile long progressMs = System.currentTimeMillis();
  private volatile long refusedByPoolMs;
  private String lastLogged;
  private long lastLoggedMs;

  RedisCalls(Redis redis, String where, RedisStore.Pool pool) {
    this.redis = redis;
    this.where = where;
    this.pool = pool;
  }

  Future<Response> send(Request request) {
    return call(redis.send(started(request)), request);
  }

  Future<List<Response>> batch(List<Request> requests) {
    return call(redis.batch(started(requests)), null);
  }

  /** As {@link #send}, but a failure is returned without logging: the caller expects some (WRONGTYPE). */
  Future<Response> sendQuietly(Request request) {
    started();
    return redis.send(request).transform(ar -> {
      done();
      return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(RedisUnavailable.of(ar.cause()));
    });
  }

  Future<Void> close() {
    return redis.close();
  }

  private <R> R started(R request) {
    started();
    return request;
  }

  private void started() {
    if (pending.getAndIncrement() == 0) {
      progressMs = System.currentTimeMillis(); // idle until now: the wait starts here
    }
  }

  private void done() {
    pending.decrementAndGet();
    progressMs = System.currentTimeMillis();
  }

  private <T> Future<T> call(Future<T> sent, Request request) {
    return sent.transform(ar -> {
      done();
      return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(failed(ar.cause(), request));
    });
  }

  /** Classifies and logs a failure; for a caller that received a raw one from {@link #sendQuietly}. */
  RedisUnavailable failed(Throwable cause, Request request) {
    RedisUnavailable u = RedisUnavailable.of(cause);
    if (u.kind() == RedisUnavailable.Kind.BUSY) {
      refusedByPoolMs = System.currentTimeMillis();
    }
    log(u, request);
    return u;
  }

  private synchronized void log(RedisUnavailable u, Request request) {
    String text = u.redisError();
    long now = System.currentTimeMillis();
    if (text.equals(lastLogged) && now - lastLoggedMs < LOG_AGAIN_MS) {
      LOG.log(Level.FINE, () -> "Redis at " + where + ": " + cut(text));
      return;
    }
    lastLogged = text;
    lastLoggedMs = now;
    String command = request == null ? "a batch" : String.valueOf(request.command());
    LOG.warning("Redis at " + where + " (" + pool.name() + " connections), " + command + ": " + cut(text)
        + " (told callers: " + u.getMessage() + ")");
  }

  private static String cut(String s) {
    return s.length() <= LOGGED_CHARS ? s : s.substring(0, LOGGED_CHARS) + "...";
  }

  /** Null when the pool is fine, else what is wrong, in words. Any thread; never blocks. */
  String problem() {
    long now = System.currentTimeMillis();
    int calls = pending.get();
    int waiting = Math.max(0, calls - pool.maxSize());
    String whose = "the Redis pool '" + pool.name() + "' (" + where + ")";
    if (now - refusedByPoolMs < UNHEALTHY_MS || waiting >= pool.maxWaiting()) {
      return whose + " is exhausted: " + waiting + " calls wait for its " + pool.maxSize()
          + " connections (at most " + pool.maxWaiting() + " may wait; more are refused)";
    }
    if (calls > 0 && now - progressMs > UNHEALTHY_MS) {
      return whose + " has had no answer for " + (now - progressMs) / 1000 + " s with " + calls + " calls out";
    }
    return null;
  }
}
