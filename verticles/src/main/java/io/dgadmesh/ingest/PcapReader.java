package io.dgadmesh.ingest;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNS in a packet capture (pcap or pcapng): UDP and TCP with port 53 on either side, messages read
 * by dnsjava's {@link Message}. A query waits (bounded, {@link PendingQueries}) for its response,
 * matched on client address and port, server, transport, DNS id and question; the response gives
 * rcode and answers, and the record keeps the query's time and the querier as client. A query
 * that is never answered goes out with rcode "" when it leaves the window or at the end; a
 * response whose query was not captured gives its record alone. A retransmitted query is one
 * lookup. Each packet counts as one "line".
 */
final class PcapReader implements RecordReader {
  private static final int DNS_PORT = 53;
  private static final int MAX_ANSWERS = 64;

  private record Key(String client, int clientPort, String server, boolean tcp, int id, String name) {}

  private final CaptureFrames frames;
  private final PacketDecoder decoder = new PacketDecoder();
  private final TcpStreams tcp = new TcpStreams();
  private final PendingQueries<Key> pending;
  private final ParseCounts counts = new ParseCounts();
  private final ArrayDeque<DnsRecord> ready = new ArrayDeque<>();
  private final Consumer<DnsRecord> sink = ready::add;
  private long packets;
  private boolean ended;

  PcapReader(CaptureFrames frames) {
    this(frames, new PendingQueries<>());
  }

  PcapReader(CaptureFrames frames, PendingQueries<Key> pending) {
    this.frames = frames;
    this.pending = pending;
  }

  @Override
  public DnsRecord next() throws IOException {
    while (ready.isEmpty()) {
      if (ended) {
        return null;
      }
      CaptureFrame frame = frames.next();
      if (frame == null) {
        ended = true;
        if (frames.problem() != null) {
          counts.line();
          counts.malformed(++packets, frames.problem());
        }
        pending.releaseAll(sink);
        continue;
      }
      counts.line();
      packets++;
      LineOutcome outcome;
      try {
        outcome = packet(frame);
      } catch (RuntimeException | AssertionError e) {
        // pkts-core guards its buffers with assert (see PacketDecoder): one bad packet, not the end.
        outcome = LineOutcome.malformed("could not read the packet: " + e);
      }
      outcome.countIn(counts, packets);
    }
    counts.record();
    return ready.poll();
  }

  private LineOutcome packet(CaptureFrame frame) {
    PacketDecoder.Segment s = decoder.decode(frame);
    if (s.malformed != null) {
      return LineOutcome.malformed(s.malformed);
    }
    if (s.skip != null || (s.srcPort != DNS_PORT && s.dstPort != DNS_PORT)) {
      return LineOutcome.SKIPPED;
    }
    String src = Addresses.format(s.srcIp);
    String dst = Addresses.format(s.dstIp);
    if (!s.tcp) {
      return message(s.payload, frame.timeMillis(), src, s.srcPort, dst, s.dstPort, false);
    }
    List<byte[]> messages = tcp.feed(new TcpStreams.Direction(src, s.srcPort, dst, s.dstPort), s);
    LineOutcome outcome = LineOutcome.SKIPPED;
    for (byte[] wire : messages) {
      LineOutcome one = message(wire, frame.timeMillis(), src, s.srcPort, dst, s.dstPort, true);
      if (outcome.kind() == LineOutcome.Kind.SKIPPED || one.kind() == LineOutcome.Kind.MALFORMED) {
        outcome = one;
      }
    }
    return outcome;
  }

  private LineOutcome message(byte[] wire, long time, String src, int srcPort, String dst, int dstPort, boolean overTcp) {
    Message m = null;
    int id;
    int flags;
    int rcodeValue;
    Name questionName;
    int questionType;
    try {
      m = new Message(wire);
      Record question = m.getQuestion();
      if (question == null) {
        return LineOutcome.SKIPPED;
      }
      id = m.getHeader().getID();
      flags = (wire[2] & 0xFF) << 8 | (wire[3] & 0xFF);
      rcodeValue = m.getRcode();
      questionName = question.getName();
      questionType = question.getType();
    } catch (IOException | RuntimeException e) {
      // dnsjava refuses a whole message for a bad EDNS option or answer record; the question at
      // its head is still what the host asked, so it is read alone.
      if (wire.length < 12 || ((wire[4] & 0xFF) << 8 | (wire[5] & 0xFF)) == 0) {
        return LineOutcome.malformed("not a DNS message: " + Json.brief(e));
      }
      try {
        DNSInput in = new DNSInput(wire);
        in.jump(12);
        questionName = new Name(in);
        questionType = in.readU16();
      } catch (IOException | RuntimeException e2) {
        return LineOutcome.malformed("not a DNS message: " + Json.brief(e));
      }
      id = (wire[0] & 0xFF) << 8 | (wire[1] & 0xFF);
      flags = (wire[2] & 0xFF) << 8 | (wire[3] & 0xFF);
      rcodeValue = flags & 0xF;
    }
    if (((flags >> 11) & 0xF) != Opcode.QUERY) {
      return LineOutcome.SKIPPED;
    }
    String name = Text.queryName(questionName.toString(true));
    if (name == null || name.equals("@")) {
      return LineOutcome.SKIPPED;
    }
    if (Text.overLong(name)) {
      return LineOutcome.overLimit(Text.OVER_LONG_NAME);
    }
    String qtype = Type.string(questionType);
    boolean response = (flags & 0x8000) != 0;
    pending.expire(packets, time, sink);
    if (!response) {
      Key key = new Key(src, srcPort, dst, overTcp, id, name.toLowerCase(Locale.ROOT));
      pending.add(key, new PendingQueries.Query(time, src, name, qtype, packets), sink);
      return LineOutcome.ACCEPTED;
    }
    Key key = new Key(dst, dstPort, src, overTcp, id, name.toLowerCase(Locale.ROOT));
    String rcode = Rcode.string(rcodeValue);
    List<String> answers = m == null ? List.of() : answers(m);
    PendingQueries.Query q = pending.remove(key);
    if (q != null) {
      q.rcode = rcode;
      q.answers.addAll(answers);
      sink.accept(q.toRecord());
    } else {
      sink.accept(new DnsRecord(time, dst, name, qtype, rcode, answers));
    }
    return LineOutcome.ACCEPTED;
  }

  private static List<String> answers(Message m) {
    List<Record> records = m.getSection(Section.ANSWER);
    if (records.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(Math.min(records.size(), MAX_ANSWERS));
    for (Record r : records) {
      if (out.size() == MAX_ANSWERS) {
        break;
      }
      if (r instanceof ARecord a) {
        out.add(Addresses.format(a.getAddress().getAddress()));
      } else if (r instanceof AAAARecord a) {
        InetAddress address = a.getAddress();
        out.add(Addresses.format(address.getAddress()));
      } else if (r.getAdditionalName() != null || r.getType() == Type.CNAME || r.getType() == Type.PTR
          || r.getType() == Type.DNAME) {
        String data = r.rdataToString();
        out.add(data.endsWith(".") ? data.substring(0, data.length() - 1) : data);
      } else {
        out.add(r.rdataToString());
      }
    }
    return out;
  }

  @Override
  public ParseCounts counts() {
    return counts;
  }

  @Override
  public void close() throws IOException {
    frames.close();
  }
}
