package io.dgadmesh.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * One Suricata {@code dns} event as {@link EveParser} reads it, whatever the record version. A
 * request lists its questions; a response lists its questions, rcode and answer data. Version 1
 * logged one event per answer record (the {@code V1_ANSWER_RECORD} kind, which names the record, not
 * the question) and, for a failed lookup, one event naming the question with its rcode.
 */
final class EveEvent {
  enum Kind { REQUEST, RESPONSE, V1_ANSWER_RECORD, V1_FAILURE }

  Kind kind;
  long time;
  String client;
  /** Suricata's flow_id, or -1; with the DNS id it pairs a request with its response. */
  long flowId;
  int dnsId;
  final List<String> names = new ArrayList<>(1);
  final List<String> types = new ArrayList<>(1);
  String rcode;
  final List<String> answers = new ArrayList<>(4);

  /** The key under which a request waits for its response. */
  record Key(long flowId, String client, int dnsId) {}

  Key key() {
    return flowId >= 0 ? new Key(flowId, "", dnsId) : new Key(-1, client, dnsId);
  }

  DnsRecord record(int i, boolean withReply) {
    return new DnsRecord(time, client, names.get(i), types.get(i), withReply ? rcode : "",
        withReply ? answers : List.of());
  }
}
