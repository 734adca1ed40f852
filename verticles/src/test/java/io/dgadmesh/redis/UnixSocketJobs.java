package io.dgadmesh.redis;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.nio.file.Path;

/**
 * A {@link JobStore} on a Redis Unix socket, for tests whose Redis runs in a network namespace
 * the test JVM has no address in (see io.dgadmesh.testing.NamespaceNet). The node's own stores
 * only speak TCP (redis.host and redis.port); this one is for the test's side alone.
 */
public final class UnixSocketJobs {
  private UnixSocketJobs() {}

  public static JobStore over(Vertx vertx, Path socket) {
    String where = "unix://" + socket;
    return new JobStore(new RedisCalls(Redis.createClient(vertx, where), where, RedisStore.Pool.DEFAULT));
  }
}
