package io.dgadmesh.redis;

/**
 * Server-side steps that must be atomic for at-least-once delivery. Standalone Redis only: the
 * write script touches keys it derives from names (fine outside Redis Cluster).
 */
final class RedisScripts {
  private RedisScripts() {}

  /**
   * KEYS: todo set, in-flight set, invalid set. ARGV: count, max bytes, shown bytes, reason.
   * Moves up to count names into the in-flight set and returns {refused, names}. A member longer
   * than max bytes (no host name is) is refused here, measured inside Redis, so it never reaches a
   * node's heap: it goes to the invalid set under its first shown bytes, '...' and the SHA-1 of
   * the whole member in hex (members that share a beginning stay apart), with the reason and its
   * size, and leaves the todo set for good (re-queued, it would fail the same way again).
   */
  static final String POP = """
      local names = redis.call('SPOP', KEYS[1], ARGV[1])
      local max, shown = tonumber(ARGV[2]), tonumber(ARGV[3])
      local keep, refused = {}, 0
      for _, name in ipairs(names) do
        local len = string.len(name)
        if len > max then
          refused = refused + 1
          local short = string.sub(name, 1, shown) .. '...' .. redis.sha1hex(name)
          redis.call('SADD', KEYS[3], short)
          redis.call('SET', KEYS[3] .. ':' .. short, ARGV[4] .. len .. ' bytes')
        else
          keep[#keep + 1] = name
        end
      end
      if #keep > 0 then redis.call('SADD', KEYS[2], unpack(keep)) end
      return {refused, keep}
      """;

  /**
   * KEYS: in-flight set, invalid set. ARGV: node, time, write-hash flag, then 7 per name:
   * name, label ('DGA', 'ok' or '!' for invalid), score or reason, family, family score, model
   * version, operating point ('' for invalid).
   * Fenced: a name is written only if it is still in this node's in-flight set, and leaves it in
   * the same step. A node that was paused or cut off while the leader re-queued its in-flight
   * names (so another node owns them now) writes nothing for them: each name is written once.
   * The result hash counts its writes in 'writes'. Returns the number of names written, counting
   * names an earlier run of the same write (same node and write time, a retry) already wrote.
   * The membership check, the SREM and the dgad-style SETs go to Redis once per 1,000 names
   * (SMISMEMBER, SREM, MSET) instead of once per name: the script's per-name calls were most of
   * Redis's CPU. Servers before Redis 6.2 (no SMISMEMBER) get one SREM per name. The hash is
   * written with pcall: a key of another type under its name (not the door's) loses the hash, not
   * the script, which has already taken the names out of the in-flight set (a script is not rolled
   * back), so an error there would lose them, and the retry would fail the same way.
   */
  static final String WRITE = """
      local node, t, hash = ARGV[1], ARGV[2], ARGV[3] == '1'
      local n = 0
      for first = 4, #ARGV, 7000 do
        local last = math.min(first + 6999, #ARGV)
        local names = {}
        for i = first, last, 7 do names[#names + 1] = ARGV[i] end
        local owned = redis.pcall('SMISMEMBER', KEYS[1], unpack(names))
        if type(owned) ~= 'table' or owned.err then
          owned = {}
          for k, name in ipairs(names) do owned[k] = redis.call('SREM', KEYS[1], name) end
        else
          redis.call('SREM', KEYS[1], unpack(names))
        end
        local labels, invalid = {}, {}
        for k, name in ipairs(names) do
          if owned[k] == 1 then
            n = n + 1
            local i = first + (k - 1) * 7
            local label = ARGV[i + 1]
            if label == '!' then
              invalid[#invalid + 1] = name
              redis.call('SET', 'dgad:invalid:' .. name, ARGV[i + 2])
            else
              labels[#labels + 1] = name
              labels[#labels + 1] = label
              if hash then
                local key = 'dgad:result:' .. name
                redis.pcall('HSET', key, 'score', ARGV[i + 2], 'family', ARGV[i + 3],
                  'family_score', ARGV[i + 4], 'model', ARGV[i + 5], 'point', ARGV[i + 6], 'node', node, 'time', t)
                redis.pcall('HINCRBY', key, 'writes', 1)
              end
            end
          elseif hash and ARGV[first + (k - 1) * 7 + 1] ~= '!' then
            -- Not in flight here any more. If this very write ran before (a retry after Redis's
            -- reply was lost), the name's hash carries this node and this write's time: count it as
            -- written, not as fenced, and write nothing again.
            local mine = redis.pcall('HMGET', 'dgad:result:' .. name, 'node', 'time')
            if type(mine) == 'table' and mine[1] == node and mine[2] == t then n = n + 1 end
          end
        end
        if #labels > 0 then redis.call('MSET', unpack(labels)) end
        if #invalid > 0 then redis.call('SADD', KEYS[2], unpack(invalid)) end
      end
      return n
      """;

  /**
   * KEYS: todo set, in-flight set of a node, that node's heartbeat key, node registry.
   * ARGV: the node id, force flag. Re-queues the in-flight names of a node whose heartbeat
   * expired (or unconditionally when forced: a node restarting under its own id). -1 if alive.
   */
  static final String REQUEUE = """
      if ARGV[2] ~= '1' and redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
      local names = redis.call('SMEMBERS', KEYS[2])
      for i = 1, #names, 1000 do
        redis.call('SADD', KEYS[1], unpack(names, i, math.min(i + 999, #names)))
      end
      redis.call('DEL', KEYS[2])
      if ARGV[2] ~= '1' then redis.call('SREM', KEYS[4], ARGV[1]) end
      return #names
      """;

  /** Compare-and-set of one task: KEYS tasks hash; ARGV task, expected, new. 1 if set. */
  static final String TASK_CAS = """
      if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
        return 1
      end
      return 0
      """;

  /** KEYS job hash, tasks hash, active set; ARGV task size, now, id. Splits a queued job once. */
  static final String JOB_SPLIT = """
      if redis.call('HGET', KEYS[1], 'status') ~= 'queued' then return -1 end
      local total = tonumber(redis.call('HGET', KEYS[1], 'total'))
      local size = tonumber(ARGV[1])
      local n = math.floor((total + size - 1) / size)
      for i = 0, n - 1 do redis.call('HSET', KEYS[2], tostring(i), 'queued') end
      redis.call('HSET', KEYS[1], 'status', 'running', 'task_size', size, 'tasks_total', n, 'tasks_done', 0)
      if n == 0 then
        redis.call('HSET', KEYS[1], 'status', 'done', 'finished', ARGV[2])
        redis.call('SREM', KEYS[3], ARGV[3])
      end
      return n
      """;

  /**
   * KEYS tasks hash, job hash, result key, active set; ARGV task, token, names, results, now, id.
   * Writes a task's results only while it is still assigned with this token; completes the job
   * with its last task. 1 if written, 0 if the task was taken away (re-assigned).
   */
  static final String TASK_COMPLETE = """
      if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
      redis.call('SET', KEYS[3], ARGV[4])
      redis.call('HSET', KEYS[1], ARGV[1], 'done')
      redis.call('HINCRBY', KEYS[2], 'done', ARGV[3])
      local d = redis.call('HINCRBY', KEYS[2], 'tasks_done', 1)
      if d >= tonumber(redis.call('HGET', KEYS[2], 'tasks_total')) then
        redis.call('HSET', KEYS[2], 'status', 'done', 'finished', ARGV[5])
        redis.call('SREM', KEYS[4], ARGV[6])
      end
      return 1
      """;
}
