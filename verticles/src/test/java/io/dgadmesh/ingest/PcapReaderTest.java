package io.dgadmesh.ingest;

import static io.dgadmesh.ingest.Captures.at;
import static io.dgadmesh.ingest.Captures.query;
import static io.dgadmesh.ingest.Captures.response;
import static io.dgadmesh.ingest.Captures.tcp;
import static io.dgadmesh.ingest.Captures.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class PcapReaderTest {
  private static final long T0 = 1_764_590_400_000_000L; // micros

  /** A query and its answer, an NXDOMAIN over IPv6 behind a VLAN tag, a lone query, a lone answer, NTP. */
  static List<Captures.Frame> udpFrames() throws Exception {
    return List.of(
        at(T0, udp("10.0.0.5", 40000, "10.0.0.1", 53, query(7, "www.example.com", Type.A))),
        at(T0 + 1_000, udp("10.0.0.1", 53, "10.0.0.5", 40000, response(7, "www.example.com", Type.A, Rcode.NOERROR, "192.0.2.1"))),
        at(T0 + 2_000, Captures.tagged(udp("2001:db8::5", 40001, "2001:db8::1", 53, query(8, "qwzxkjv.example", Type.AAAA)), 2)),
        at(T0 + 3_000, Captures.tagged(udp("2001:db8::1", 53, "2001:db8::5", 40001, response(8, "qwzxkjv.example", Type.AAAA, Rcode.NXDOMAIN)), 2)),
        at(T0 + 4_000, udp("10.0.0.6", 40002, "10.0.0.1", 53, query(9, "_ldap._tcp.dc.corp", Type.SRV))),
        at(T0 + 4_500, udp("10.0.0.6", 40002, "10.0.0.1", 53, query(9, "_ldap._tcp.dc.corp", Type.SRV))),
        at(T0 + 5_000, udp("10.0.0.1", 53, "10.0.0.7", 40003, response(10, "4.3.2.1.in-addr.arpa", Type.PTR, Rcode.NOERROR))),
        at(T0 + 6_000, udp("10.0.0.5", 123, "10.0.0.1", 123, new byte[48])));
  }

  static final List<DnsRecord> UDP_RECORDS = List.of(
      new DnsRecord(T0 / 1000, "10.0.0.5", "www.example.com", "A", "NOERROR", List.of("192.0.2.1")),
      new DnsRecord(T0 / 1000 + 2, "2001:db8::5", "qwzxkjv.example", "AAAA", "NXDOMAIN", List.of()),
      new DnsRecord(T0 / 1000 + 5, "10.0.0.7", "4.3.2.1.in-addr.arpa", "PTR", "NOERROR", List.of()),
      new DnsRecord(T0 / 1000 + 4, "10.0.0.6", "_ldap._tcp.dc.corp", "SRV", "", List.of()));

  @Test
  void udpQueriesArePairedWithTheirResponses() throws Exception {
    Logs.Read read = Logs.read(Captures.pcap(1, udpFrames()), null);
    assertEquals(UDP_RECORDS, read.records());
    assertEquals(8, read.counts().lines());
    assertEquals(1, read.counts().skipped(), "the NTP packet");
  }

  @Test
  void pcapngInEitherByteOrderGivesTheSameRecords() throws Exception {
    assertEquals(UDP_RECORDS, Logs.read(Captures.pcapng(ByteOrder.LITTLE_ENDIAN, 1, udpFrames()), null).records());
    assertEquals(UDP_RECORDS, Logs.read(Captures.pcapng(ByteOrder.BIG_ENDIAN, 1, udpFrames()), LogFormat.PCAP).records());
  }

  @Test
  void rawIpCapturesAreReadToo() throws Exception {
    List<Captures.Frame> raw = udpFrames().subList(0, 2).stream()
        .map(f -> at(f.timeMicros(), Captures.rawIp(f.bytes()))).toList();
    assertEquals(UDP_RECORDS.subList(0, 1), Logs.read(Captures.pcap(101, raw), null).records());
    assertEquals(UDP_RECORDS.subList(0, 1), Logs.read(Captures.pcapng(ByteOrder.LITTLE_ENDIAN, 229, raw), null).records());
  }

  @Test
  void tcpMessagesAreJoinedAcrossSegments() throws Exception {
    byte[] q = lengthPrefixed(query(21, "split.example", Type.A));
    byte[] r1 = lengthPrefixed(response(21, "split.example", Type.A, Rcode.NOERROR, "192.0.2.9"));
    byte[] q2 = lengthPrefixed(query(22, "second.example", Type.TXT));
    byte[] r2 = lengthPrefixed(response(22, "second.example", Type.TXT, Rcode.SERVFAIL));
    byte[] both = ByteBuffer.allocate(r1.length + r2.length).put(r1).put(r2).array();
    long c = 1000;
    long s = 5000;
    List<Captures.Frame> frames = List.of(
        at(T0, tcp("10.0.0.5", 50000, "10.0.0.1", 53, c, 0x02, new byte[0])),
        at(T0 + 1_000, tcp("10.0.0.1", 53, "10.0.0.5", 50000, s, 0x12, new byte[0])),
        at(T0 + 2_000, tcp("10.0.0.5", 50000, "10.0.0.1", 53, c + 1, 0x18, Arrays.copyOfRange(q, 0, 5))),
        at(T0 + 3_000, tcp("10.0.0.5", 50000, "10.0.0.1", 53, c + 6, 0x18, Arrays.copyOfRange(q, 5, q.length))),
        at(T0 + 4_000, tcp("10.0.0.5", 50000, "10.0.0.1", 53, c + 6, 0x18, Arrays.copyOfRange(q, 5, q.length))),
        at(T0 + 5_000, tcp("10.0.0.5", 50000, "10.0.0.1", 53, c + 1 + q.length, 0x18, q2)),
        at(T0 + 6_000, tcp("10.0.0.1", 53, "10.0.0.5", 50000, s + 1, 0x18, both)),
        at(T0 + 7_000, tcp("10.0.0.5", 50000, "10.0.0.1", 53, c + 1 + q.length + q2.length, 0x11, new byte[0])));
    Logs.Read read = Logs.read(Captures.pcap(1, frames), null);
    assertEquals(List.of(
        new DnsRecord(T0 / 1000 + 3, "10.0.0.5", "split.example", "A", "NOERROR", List.of("192.0.2.9")),
        new DnsRecord(T0 / 1000 + 5, "10.0.0.5", "second.example", "TXT", "SERVFAIL", List.of())), read.records(),
        "each record has its query's time: the retransmitted segment did not break the stream");
  }

  @Test
  void badPacketsAndACutFileAreCountedAndTheRestIsRead() throws Exception {
    byte[] garbage = new byte[] {0, 1, (byte) 0x81, (byte) 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 63, 'a'};
    List<Captures.Frame> frames = new ArrayList<>(udpFrames().subList(0, 2));
    frames.add(at(T0 + 9, udp("10.0.0.8", 40009, "10.0.0.1", 53, garbage)));
    // Wire names stop at 255 bytes, but escaped (\ddd) their text can pass the limit.
    frames.add(at(T0 + 10, udp("10.0.0.8", 40010, "10.0.0.1", 53,
        query(30, "\\001".repeat(60) + "." + "\\001".repeat(60) + ".example", Type.A))));
    frames.add(at(T0 + 11, new byte[] {1, 2, 3}));
    byte[] file = Captures.pcap(1, frames);
    byte[] cut = Arrays.copyOf(file, file.length - 1);
    Logs.Read read = Logs.read(cut, null);
    assertEquals(UDP_RECORDS.subList(0, 1), read.records());
    assertEquals(5, read.counts().lines(), "four whole packets and the cut one");
    assertEquals(2, read.counts().malformed());
    assertEquals(1, read.counts().overLimit());
    assertEquals(List.of(3L, 4L, 5L), read.counts().problems().stream().map(ParseCounts.Problem::line).toList());
    assertTrue(read.counts().problems().get(2).reason().contains("truncated"), read.counts().problems().toString());
  }

  @Test
  void unansweredQueriesLeaveABoundedMapWithoutLoss() throws Exception {
    List<Captures.Frame> frames = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      frames.add(at(T0 + i, udp("10.0.0.5", 41000 + i, "10.0.0.1", 53, query(i, "n" + i + ".example", Type.A))));
    }
    CaptureFrames source = new PcapFrames(new java.io.ByteArrayInputStream(Captures.pcap(1, frames)));
    try (RecordReader reader = new PcapReader(source, new PendingQueries<>(4, 30_000, 100_000))) {
      assertEquals(50, Logs.drain(reader).records().size());
    }
  }

  private static byte[] lengthPrefixed(byte[] message) {
    return ByteBuffer.allocate(2 + message.length).putShort((short) message.length).put(message).array();
  }
}
