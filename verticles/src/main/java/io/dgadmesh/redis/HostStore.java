package io.dgadmesh.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-host evidence of the live path, shared by the cluster (from {@link RedisStore#hosts()}).
 * A host's state is one JSON value (the hosts package's HostStateJson), written with a version
 * check: two nodes that update one host at once (records of one host in two Kafka partitions)
 * cannot lose each other's evidence; the loser reads again and merges again.
 *
 * <pre>
 * dgad:host:&lt;ip&gt;        hash    v (version), state (JSON), score and infected (1/0) as its writer judged,
 *                               applied (JSON: source stream -> last position in this state);
 *                               expires hosts.windowMinutes after the last write
 * dgad:hosts            zset    host -> score, for the ranking; at most hosts.maxHosts (lowest go first)
 * dgad:hosts:seen       zset    host -> last write (ms), to drop hosts whose window has passed
 * dgad:hosts:infected   set     hosts judged infected now
 * dgad:pop:&lt;unit&gt;       HLL     the hosts that queried a registrable domain, expiring with the window
 * dgad:pop:common       set     units queried by at least commonHosts hosts (at most {@link #MAX_COMMON})
 * dgad:alerts           stream  one entry per host that turned infected (at most about {@link #ALERTS_KEPT})
 * dgad:ingest:applied   hash    source stream (a Kafka topic and partition) -> last position in the hosts' state
 * </pre>
 */
public final class HostStore {
  public static final int MAX_COMMON = 200_000;
  public static final int ALERTS_KEPT = 10_000;
  static final String INDEX = "dgad:hosts";
  static final String SEEN = "dgad:hosts:seen";
  static final String INFECTED = "dgad:hosts:infected";
  static final String COMMON = "dgad:pop:common";
  static final String ALERTS = "dgad:alerts";
  static final String APPLIED = "dgad:ingest:applied";

  /**
   * KEYS: host hash, index, seen, infected. ARGV: expected version, state, ttl ms, score, host,
   * infected flag, max hosts, now ms, window ms, applied positions (JSON, or empty for none).
   * -1 when the version moved on (read again); otherwise 1 when the host turned infected with
   * this write, else 0. The state and the positions of the records in it go in one write, so a
   * node that dies after it leaves no record that is in the state but not marked as applied.
   */
  private static final String SAVE = """
      local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
      if v ~= tonumber(ARGV[1]) then return -1 end
      redis.call('HSET', KEYS[1], 'v', v + 1, 'state', ARGV[2], 'score', ARGV[4], 'infected', ARGV[6])
      if ARGV[10] ~= '' then redis.call('HSET', KEYS[1], 'applied', ARGV[10]) end
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
      redis.call('ZADD', KEYS[3], ARGV[8], ARGV[5])
      local newly = 0
      if ARGV[6] == '1' then newly = redis.call('SADD', KEYS[4], ARGV[5]) else redis.call('SREM', KEYS[4], ARGV[5]) end
      local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. (tonumber(ARGV[8]) - tonumber(ARGV[9])), 'LIMIT', 0, 1000)
      for _, h in ipairs(old) do
        redis.call('ZREM', KEYS[2], h); redis.call('ZREM', KEYS[3], h); redis.call('SREM', KEYS[4], h)
        redis.call('DEL', 'dgad:host:' .. h)
      end
      local n = redis.call('ZCARD', KEYS[2])
      local max = tonumber(ARGV[7])
      if n > max then
        local gone = redis.call('ZPOPMIN', KEYS[2], n - max)
        for i = 1, #gone, 2 do
          redis.call('ZREM', KEYS[3], gone[i]); redis.call('SREM', KEYS[4], gone[i]); redis.call('DEL', 'dgad:host:' .. gone[i])
        end
      end
      return newly
      """;

  /**
   * KEYS: the common set. ARGV: host, window ms, common hosts, max common, then units. Adds the
   * host to each unit's HyperLogLog and returns each unit's count of hosts.
   */
  private static final String TOUCH = """
      local host, ttl, common, max = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
      local out = {}
      for i = 5, #ARGV do
        local key = 'dgad:pop:' .. ARGV[i]
        redis.call('PFADD', key, host)
        redis.call('PEXPIRE', key, ttl)
        local n = redis.call('PFCOUNT', key)
        if n >= common and redis.call('SCARD', KEYS[1]) < max then redis.call('SADD', KEYS[1], ARGV[i]) end
        out[#out + 1] = n
      end
      redis.call('PEXPIRE', KEYS[1], ttl)
      return out
      """;

  /**
   * A host's stored state, its version, the score and verdict its writer computed (with the
   * cluster's popularity at the time), and the source positions whose records are in the state
   * (JSON, null for none); version 0 and a null state for a host not stored.
   */
  public record Loaded(String host, long version, String state, double score, boolean infected, String applied) {}

  private final RedisCalls redis;

  HostStore(RedisCalls redis) {
    this.redis = redis;
  }

  static String hostKey(String host) {
    return "dgad:host:" + host;
  }

  public Future<Loaded> load(String host) {
    return states(List.of(host)).map(l -> l.get(0));
  }

  /** The stored hosts, in order; a host no longer stored has a null state. */
  public Future<List<Loaded>> states(List<String> hosts) {
    if (hosts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Request get = Request.cmd(Command.EVAL).arg("""
        local out = {}
        for i, k in ipairs(KEYS) do out[i] = redis.call('HMGET', k, 'v', 'state', 'score', 'infected', 'applied') end
        return out""").arg(hosts.size());
    hosts.forEach(h -> get.arg(hostKey(h)));
    return redis.send(get).map(r -> {
      List<Loaded> out = new ArrayList<>(hosts.size());
      for (int i = 0; i < hosts.size(); i++) {
        Response h = r.get(i);
        Response v = h.get(0);
        Response st = h.get(1);
        Response score = h.get(2);
        Response inf = h.get(3);
        Response applied = h.size() > 4 ? h.get(4) : null;
        out.add(new Loaded(hosts.get(i), v == null ? 0 : v.toLong(), st == null ? null : st.toString(),
            score == null ? 0 : Double.parseDouble(score.toString()), inf != null && "1".equals(inf.toString()),
            applied == null ? null : applied.toString()));
      }
      return out;
    });
  }

  public record Saved(boolean stored, boolean newlyInfected) {}

  /**
   * Writes a host's state, and the positions of the records in it ({@code applied}, JSON; null
   * leaves them as they are), if nobody wrote it since {@code loaded}; {@code stored} false means
   * read again.
   */
  public Future<Saved> save(Loaded loaded, String state, double score, boolean infected, long windowMs, int maxHosts,
      String applied) {
    long now = System.currentTimeMillis();
    return redis.send(Request.cmd(Command.EVAL).arg(SAVE).arg(4).arg(hostKey(loaded.host())).arg(INDEX).arg(SEEN)
            .arg(INFECTED).arg(loaded.version()).arg(state).arg(windowMs).arg(Double.toString(score)).arg(loaded.host())
            .arg(infected ? "1" : "0").arg(maxHosts).arg(now).arg(windowMs).arg(applied == null ? "" : applied))
        .map(r -> new Saved(r.toLong() >= 0, r.toLong() == 1));
  }

  /** Counts {@code host} in each unit's popularity and returns each unit's number of hosts. */
  public Future<Map<String, Integer>> touch(String host, Collection<String> units, long windowMs, int commonHosts) {
    if (units.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<String> list = new ArrayList<>(units);
    Request req = Request.cmd(Command.EVAL).arg(TOUCH).arg(1).arg(COMMON).arg(host).arg(windowMs).arg(commonHosts)
        .arg(MAX_COMMON);
    list.forEach(req::arg);
    return redis.send(req).map(r -> {
      Map<String, Integer> out = new HashMap<>(list.size() * 2);
      for (int i = 0; i < list.size(); i++) {
        out.put(list.get(i), r.get(i).toInteger());
      }
      return out;
    });
  }

  /** Units many hosts query: what a typo check and the spread term need beyond a host's own units. */
  public Future<Set<String>> commonUnits() {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(COMMON)).map(r -> {
      Set<String> out = new HashSet<>(r.size() * 2);
      for (Response m : r) {
        out.add(m.toString());
      }
      return out;
    });
  }

  /** Hosts by score, highest first, and their scores; only infected ones when asked. */
  public Future<List<Map.Entry<String, Double>>> ranked(int limit, boolean infectedOnly) {
    Request req = infectedOnly
        ? Request.cmd(Command.EVAL).arg("""
            local out = {}
            local page, start = 500, 0
            while #out < tonumber(ARGV[1]) * 2 do
              local hs = redis.call('ZREVRANGE', KEYS[1], start, start + page - 1, 'WITHSCORES')
              if #hs == 0 then break end
              for i = 1, #hs, 2 do
                if #out < tonumber(ARGV[1]) * 2 and redis.call('SISMEMBER', KEYS[2], hs[i]) == 1 then
                  out[#out + 1] = hs[i]; out[#out + 1] = hs[i + 1]
                end
              end
              start = start + page
            end
            return out""").arg(2).arg(INDEX).arg(INFECTED).arg(limit)
        : Request.cmd(Command.ZREVRANGE).arg(INDEX).arg(0).arg(limit - 1).arg("WITHSCORES");
    return redis.send(req).map(r -> {
      List<Map.Entry<String, Double>> out = new ArrayList<>();
      if (r.size() > 0 && r.get(0).type() == ResponseType.MULTI) { // RESP3: [member, score] pairs
        for (Response p : r) {
          out.add(Map.entry(p.get(0).toString(), p.get(1).toDouble()));
        }
      } else {
        for (int i = 0; i + 1 < r.size(); i += 2) {
          out.add(Map.entry(r.get(i).toString(), Double.parseDouble(r.get(i + 1).toString())));
        }
      }
      return out;
    });
  }

  /** Hosts tracked now, and how many of them are infected. */
  public Future<long[]> counts() {
    return redis.batch(List.of(Request.cmd(Command.ZCARD).arg(INDEX), Request.cmd(Command.SCARD).arg(INFECTED)))
        .map(r -> new long[] {r.get(0).toLong(), r.get(1).toLong()});
  }

  /** The last applied position of each of these streams (absent: none yet). */
  public Future<Map<String, Long>> applied(Collection<String> streams) {
    if (streams.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<String> list = new ArrayList<>(streams);
    Request req = Request.cmd(Command.HMGET).arg(APPLIED);
    list.forEach(req::arg);
    return redis.send(req).map(r -> {
      Map<String, Long> out = new HashMap<>();
      for (int i = 0; i < list.size(); i++) {
        if (r.get(i) != null) {
          out.put(list.get(i), r.get(i).toLong());
        }
      }
      return out;
    });
  }

  /** Raises each stream's applied position to the given one (never lowers it). */
  public Future<Void> markApplied(Map<String, Long> positions) {
    if (positions.isEmpty()) {
      return Future.succeededFuture();
    }
    Request req = Request.cmd(Command.EVAL).arg("""
        for i = 1, #ARGV, 2 do
          local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '-1')
          if tonumber(ARGV[i + 1]) > cur then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        end
        return 1""").arg(1).arg(APPLIED);
    positions.forEach((k, v) -> req.arg(k).arg(v));
    return redis.send(req).mapEmpty();
  }

  /** An alert in the stream users and tools read ({@code XREAD STREAMS dgad:alerts $}). */
  public Future<Void> alert(String json) {
    return redis.send(Request.cmd(Command.XADD).arg(ALERTS).arg("MAXLEN").arg("~").arg(ALERTS_KEPT).arg("*")
        .arg("alert").arg(json)).mapEmpty();
  }
}
