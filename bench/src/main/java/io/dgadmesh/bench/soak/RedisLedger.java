package io.dgadmesh.bench.soak;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The end of a soak, read from Redis: every name the soak added to the todo set must have its
 * label (dgad's plain key), and its result hash must count one write. Names are made again from
 * their numbers (see {@link SoakNames#redis}), never held.
 */
final class RedisLedger {

  /** Names checked, names without a label (lost), names written more than once, and a few of each. */
  record Outcome(long checked, long lost, long twice, List<String> examples) {}

  /**
   * Per name: a label (EXISTS), and the result hash's {@code writes} (the Redis door's hash
   * {@code dgad:result:<name>}, as the node's fault tests read it). Returns {lost, twice, examples...}:
   * at most two of each kind.
   */
  private static final String CHECK = """
      local out = {0, 0}
      local lostShown, twiceShown = 0, 0
      for _, n in ipairs(ARGV) do
        if redis.call('EXISTS', n) == 0 then
          out[1] = out[1] + 1
          if lostShown < 2 then table.insert(out, 'lost: ' .. n); lostShown = lostShown + 1 end
        else
          local w = tonumber(redis.call('HGET', 'dgad:result:' .. n, 'writes') or '0')
          if w > 1 then
            out[2] = out[2] + 1
            if twiceShown < 2 then table.insert(out, 'written ' .. w .. ' times: ' .. n); twiceShown = twiceShown + 1 end
          end
        end
      end
      return out
      """;
  private static final int NAMES_PER_CHECK = 1_000;

  private RedisLedger() {}

  /** Checks the names of every call in {@code calls} ({@link Door#namesPerCall} names each). */
  static Outcome check(Redis redis, BitSet calls) throws Exception {
    long checked = 0;
    long lost = 0;
    long twice = 0;
    List<String> examples = new ArrayList<>();
    Request eval = null;
    int inEval = 0;
    for (int seq = calls.nextSetBit(0); seq >= 0; seq = calls.nextSetBit(seq + 1)) {
      if (eval == null) {
        eval = Request.cmd(Command.EVAL).arg(CHECK).arg(0);
        inEval = 0;
      }
      for (String n : SoakNames.redis((long) seq * Door.REDIS.namesPerCall, (long) (seq + 1) * Door.REDIS.namesPerCall)) {
        eval.arg(n);
        inEval++;
      }
      if (inEval >= NAMES_PER_CHECK || calls.nextSetBit(seq + 1) < 0) {
        Response r = await(redis.send(eval));
        checked += inEval;
        lost += r.get(0).toLong();
        twice += r.get(1).toLong();
        for (int i = 2; i < r.size() && examples.size() < 6; i++) {
          examples.add(r.get(i).toString());
        }
        eval = null;
      }
    }
    return new Outcome(checked, lost, twice, examples);
  }

  static long scard(Redis redis, String set) throws Exception {
    Response r = await(redis.send(Request.cmd(Command.SCARD).arg(set)));
    return r == null ? 0 : r.toLong();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
