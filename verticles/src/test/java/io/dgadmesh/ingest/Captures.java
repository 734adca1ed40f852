package io.dgadmesh.ingest;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Builds DNS packets and capture files for tests: Ethernet, IPv4/IPv6, UDP/TCP; pcap and pcapng. */
final class Captures {
  record Frame(long timeMicros, byte[] bytes) {}

  private Captures() {}

  static byte[] query(int id, String name, int type) throws Exception {
    Message m = Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN));
    m.getHeader().setID(id);
    return m.toWire();
  }

  static byte[] response(int id, String name, int type, int rcode, String... addresses) throws Exception {
    Message m = new Message(id);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RD);
    m.getHeader().setRcode(rcode);
    Name n = Name.fromString(name + ".");
    m.addRecord(Record.newRecord(n, type, DClass.IN), Section.QUESTION);
    for (String a : addresses) {
      m.addRecord(new ARecord(n, DClass.IN, 60, InetAddress.getByName(a)), Section.ANSWER);
    }
    return m.toWire();
  }

  static byte[] udp(String src, int srcPort, String dst, int dstPort, byte[] payload) throws Exception {
    byte[] udp = ByteBuffer.allocate(8 + payload.length).putShort((short) srcPort).putShort((short) dstPort)
        .putShort((short) (8 + payload.length)).putShort((short) 0).put(payload).array();
    return ip(src, dst, 17, udp);
  }

  static byte[] tcp(String src, int srcPort, String dst, int dstPort, long seq, int flags, byte[] payload) throws Exception {
    byte[] tcp = ByteBuffer.allocate(20 + payload.length).putShort((short) srcPort).putShort((short) dstPort)
        .putInt((int) seq).putInt(0).put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0)
        .putShort((short) 0).put(payload).array();
    return ip(src, dst, 6, tcp);
  }

  /** An IP packet (v4 or v6 by the addresses) in an Ethernet frame. */
  private static byte[] ip(String src, String dst, int protocol, byte[] transport) throws Exception {
    byte[] s = InetAddress.getByName(src).getAddress();
    byte[] d = InetAddress.getByName(dst).getAddress();
    ByteBuffer b;
    if (s.length == 4) {
      b = ByteBuffer.allocate(14 + 20 + transport.length);
      b.put(new byte[12]).putShort((short) 0x0800);
      b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + transport.length)).putShort((short) 1).putShort((short) 0)
          .put((byte) 64).put((byte) protocol).putShort((short) 0).put(s).put(d);
    } else {
      b = ByteBuffer.allocate(14 + 40 + transport.length);
      b.put(new byte[12]).putShort((short) 0x86DD);
      b.putInt(0x60000000).putShort((short) transport.length).put((byte) protocol).put((byte) 64).put(s).put(d);
    }
    return b.put(transport).array();
  }

  /** The frame with an 802.1Q tag (two for QinQ) after its MAC addresses. */
  static byte[] tagged(byte[] frame, int tags) {
    ByteBuffer b = ByteBuffer.allocate(frame.length + 4 * tags);
    b.put(frame, 0, 12);
    for (int i = 0; i < tags; i++) {
      b.putShort((short) (i == 0 && tags > 1 ? 0x88A8 : 0x8100)).putShort((short) (100 + i));
    }
    return b.put(frame, 12, frame.length - 12).array();
  }

  /** The IP packet of an Ethernet frame, for raw-IP link types. */
  static byte[] rawIp(byte[] frame) {
    return java.util.Arrays.copyOfRange(frame, 14, frame.length);
  }

  static byte[] pcap(int linkType, List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(linkType);
    out.writeBytes(h.array());
    for (Frame f : frames) {
      ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      r.putInt((int) (f.timeMicros() / 1_000_000)).putInt((int) (f.timeMicros() % 1_000_000))
          .putInt(f.bytes().length).putInt(f.bytes().length);
      out.writeBytes(r.array());
      out.writeBytes(f.bytes());
    }
    return out.toByteArray();
  }

  /** A pcapng file in the given byte order, one interface with nanosecond times (if_tsresol 9). */
  static byte[] pcapng(ByteOrder order, int linkType, List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(block(order, 0x0A0D0D0A, ByteBuffer.allocate(16).order(order)
        .putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).array()));
    ByteBuffer idb = ByteBuffer.allocate(8 + 8 + 4).order(order);
    idb.putShort((short) linkType).putShort((short) 0).putInt(262144);
    idb.putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3]);
    idb.putShort((short) 0).putShort((short) 0);
    out.writeBytes(block(order, 1, idb.array()));
    // A block of a kind this reader does not use, skipped by its length.
    out.writeBytes(block(order, 5, new byte[8]));
    for (Frame f : frames) {
      long ns = f.timeMicros() * 1000;
      int padded = (f.bytes().length + 3) & ~3;
      ByteBuffer epb = ByteBuffer.allocate(20 + padded).order(order);
      epb.putInt(0).putInt((int) (ns >>> 32)).putInt((int) ns).putInt(f.bytes().length).putInt(f.bytes().length)
          .put(f.bytes());
      out.writeBytes(block(order, 6, epb.array()));
    }
    return out.toByteArray();
  }

  private static byte[] block(ByteOrder order, int type, byte[] body) {
    int total = 12 + body.length;
    return ByteBuffer.allocate(total).order(order).putInt(type).putInt(total).put(body).putInt(total).array();
  }

  static Frame at(long timeMicros, byte[] bytes) {
    return new Frame(timeMicros, bytes);
  }

}
