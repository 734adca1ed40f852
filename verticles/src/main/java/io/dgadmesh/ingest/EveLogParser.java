package io.dgadmesh.ingest;

import java.util.function.Consumer;

/**
 * An {@code eve.json} file, read so that each lookup gives one record although Suricata logs its
 * request and its response. A request waits (bounded, in {@link PendingQueries}) for the response
 * with the same flow and DNS id; the response then gives the record and the request is dropped.
 * A request whose response never comes goes out with rcode "" when it leaves the window (30 s of
 * log time, 100,000 lines or 10,000 waiting) or at the end of the file; a response whose request
 * is not in the log gives its record all the same. Version 1 answer events add their answer data
 * to the waiting request they answer.
 */
final class EveLogParser implements LineParser {
  private final EveParser events = new EveParser();
  private final EveEvent event = new EveEvent();
  private final PendingQueries<EveEvent.Key> pending;
  private long line;

  EveLogParser() {
    this(new PendingQueries<>());
  }

  EveLogParser(PendingQueries<EveEvent.Key> pending) {
    this.pending = pending;
  }

  @Override
  public LineOutcome parse(byte[] buf, int off, int len, Consumer<DnsRecord> out) {
    line++;
    LineOutcome outcome = events.parseEvent(buf, off, len, event);
    if (outcome.kind() != LineOutcome.Kind.ACCEPTED && outcome.kind() != LineOutcome.Kind.OVER_LIMIT) {
      return outcome;
    }
    if (event.names.isEmpty()) {
      return outcome;
    }
    pending.expire(line, event.time, out);
    EveEvent.Key key = event.key();
    switch (event.kind) {
      case REQUEST -> {
        for (int i = 0; i < event.names.size(); i++) {
          PendingQueries.Query q = new PendingQueries.Query(event.time, event.client, event.names.get(i),
              event.types.get(i), line);
          if (i == 0 && pending.add(key, q, out)) {
            continue;
          }
          PendingQueries.Query held = pending.get(key);
          if (held == null || !held.name.equalsIgnoreCase(q.name)) {
            // A second question under one key (rare): out now rather than lost. The same question
            // again is a retransmission, one lookup.
            out.accept(q.toRecord());
          }
        }
      }
      case RESPONSE -> {
        pending.remove(key);
        for (int i = 0; i < event.names.size(); i++) {
          out.accept(event.record(i, true));
        }
      }
      case V1_ANSWER_RECORD -> {
        PendingQueries.Query q = pending.get(key);
        if (q != null) {
          q.rcode = event.rcode;
          q.answers.addAll(event.answers);
        }
      }
      case V1_FAILURE -> {
        PendingQueries.Query q = pending.remove(key);
        if (q != null) {
          q.rcode = event.rcode;
          out.accept(q.toRecord());
        } else {
          out.accept(event.record(0, true));
        }
      }
    }
    return outcome;
  }

  @Override
  public void endOfInput(Consumer<DnsRecord> out) {
    pending.releaseAll(out);
  }
}
