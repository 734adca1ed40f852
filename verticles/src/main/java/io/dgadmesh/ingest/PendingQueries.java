package io.dgadmesh.ingest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Queries seen whose reply has not come yet, for the formats that log them apart (dnsmasq, BIND's
 * queries and responses, eve.json requests and responses, packet captures). Bounded three ways: a
 * count, a span of log time and a span of lines. A query that leaves by any of them, or is still
 * here at the end of the input, goes out as it is, with rcode "" when no reply came: a lost reply
 * never loses the query, and a query answered later is never counted twice.
 */
final class PendingQueries<K> {
  static final int DEFAULT_MAX = 10_000;
  static final long DEFAULT_WINDOW_MILLIS = 30_000;
  static final long DEFAULT_WINDOW_LINES = 100_000;

  /** One query and what its reply has told so far. */
  static final class Query {
    final long time;
    final String client;
    final String name;
    final String qtype;
    String rcode = "";
    final List<String> answers = new ArrayList<>(2);
    final long line;

    Query(long time, String client, String name, String qtype, long line) {
      this.time = time;
      this.client = client;
      this.name = name;
      this.qtype = qtype;
      this.line = line;
    }

    DnsRecord toRecord() {
      return new DnsRecord(time, client, name, qtype, rcode, answers);
    }
  }

  private final int max;
  private final long windowMillis;
  private final long windowLines;
  private final LinkedHashMap<K, Query> waiting = new LinkedHashMap<>();
  private long latestTime = DnsRecord.UNKNOWN_TIME;

  PendingQueries() {
    this(DEFAULT_MAX, DEFAULT_WINDOW_MILLIS, DEFAULT_WINDOW_LINES);
  }

  PendingQueries(int max, long windowMillis, long windowLines) {
    this.max = max;
    this.windowMillis = windowMillis;
    this.windowLines = windowLines;
  }

  /**
   * Holds a query until its reply. A second query under a key already waiting (a retransmission)
   * is the same lookup and is not held again; returns false then.
   */
  boolean add(K key, Query query, Consumer<DnsRecord> out) {
    if (waiting.containsKey(key)) {
      return false;
    }
    waiting.put(key, query);
    while (waiting.size() > max) {
      release(waiting.entrySet().iterator(), out);
    }
    return true;
  }

  Query get(K key) {
    return waiting.get(key);
  }

  Query remove(K key) {
    return waiting.remove(key);
  }

  /** Releases the queries that have waited longer than the window, seen from this line and time. */
  void expire(long line, long time, Consumer<DnsRecord> out) {
    if (time != DnsRecord.UNKNOWN_TIME && (latestTime == DnsRecord.UNKNOWN_TIME || time > latestTime)) {
      latestTime = time;
    }
    Iterator<Map.Entry<K, Query>> it = waiting.entrySet().iterator();
    while (it.hasNext()) {
      Query oldest = waiting.values().iterator().next();
      boolean tooOldByLines = line - oldest.line > windowLines;
      boolean tooOldByTime = latestTime != DnsRecord.UNKNOWN_TIME && oldest.time != DnsRecord.UNKNOWN_TIME
          && latestTime - oldest.time > windowMillis;
      if (!tooOldByLines && !tooOldByTime) {
        return;
      }
      release(it, out);
      it = waiting.entrySet().iterator();
    }
  }

  /** Removes the waiting queries that match, oldest first. */
  List<Query> removeWhere(java.util.function.Predicate<Query> match) {
    List<Query> found = new ArrayList<>(1);
    Iterator<Query> it = waiting.values().iterator();
    while (it.hasNext()) {
      Query q = it.next();
      if (match.test(q)) {
        found.add(q);
        it.remove();
      }
    }
    return found;
  }

  void releaseAll(Consumer<DnsRecord> out) {
    for (Query q : waiting.values()) {
      out.accept(q.toRecord());
    }
    waiting.clear();
  }

  int size() {
    return waiting.size();
  }

  private void release(Iterator<Map.Entry<K, Query>> it, Consumer<DnsRecord> out) {
    Query q = it.next().getValue();
    it.remove();
    out.accept(q.toRecord());
  }
}
