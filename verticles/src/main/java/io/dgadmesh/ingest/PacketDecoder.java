package io.dgadmesh.ingest;

import io.pkts.buffer.Buffer;
import io.pkts.buffer.Buffers;
import io.pkts.frame.PcapGlobalHeader;
import io.pkts.frame.PcapRecordHeader;
import io.pkts.packet.IPPacket;
import io.pkts.packet.Packet;
import io.pkts.packet.TCPPacket;
import io.pkts.packet.UDPPacket;
import io.pkts.packet.impl.PCapPacketImpl;
import io.pkts.protocol.Protocol;
import java.io.IOException;

/**
 * A captured frame down to its UDP or TCP payload, by pkts-core's framers (Ethernet with VLAN
 * tags (stacked ones too), Linux cooked capture, IPv4, IPv6 with extension headers). pkts knows only those link
 * layers, so frames of the others that carry plain IP (BSD loopback, raw IP, Linux cooked v2) are
 * given a synthetic Ethernet header first. IP fragments are not reassembled.
 */
final class PacketDecoder {
  private static final PcapGlobalHeader ETHERNET = PcapGlobalHeader.createDefaultHeader(Protocol.ETHERNET_II);
  private static final PcapGlobalHeader COOKED = PcapGlobalHeader.createDefaultHeader(Protocol.SLL);
  private static final PcapRecordHeader RECORD = PcapRecordHeader.createDefaultHeader(0);

  /** What a frame carries: a transport segment, or the reason it carries none (skip or malformed). */
  static final class Segment {
    byte[] srcIp;
    byte[] dstIp;
    int srcPort;
    int dstPort;
    boolean tcp;
    long seq;
    boolean syn;
    boolean finOrRst;
    byte[] payload;
    String skip;
    String malformed;
  }

  Segment decode(CaptureFrame frame) {
    Segment s = new Segment();
    byte[] data = frame.data();
    PcapGlobalHeader header;
    switch (frame.linkType()) {
      case 1 -> {
        data = withoutVlanTags(data);
        header = ETHERNET;
      }
      case 113 -> header = COOKED;
      case 0, 108 -> {
        data = data.length > 4 ? asEthernet(data, 4) : null;
        header = ETHERNET;
      }
      case 12, 14, 101, 228, 229 -> {
        data = asEthernet(data, 0);
        header = ETHERNET;
      }
      case 276 -> {
        data = data.length > 20 ? asEthernet(data, 20) : null;
        header = ETHERNET;
      }
      default -> {
        s.malformed = "link type " + frame.linkType() + " is not read";
        return s;
      }
    }
    if (data == null) {
      s.skip = "not IP";
      return s;
    }
    try {
      Packet packet = new PCapPacketImpl(header, RECORD, Buffers.wrap(data));
      if (packet.hasProtocol(Protocol.UDP)) {
        UDPPacket udp = (UDPPacket) packet.getPacket(Protocol.UDP);
        if (fragment(udp.getParentPacket(), s)) {
          return s;
        }
        s.srcPort = udp.getSourcePort();
        s.dstPort = udp.getDestinationPort();
        s.payload = bytes(udp.getPayload());
      } else if (packet.hasProtocol(Protocol.TCP)) {
        TCPPacket tcp = (TCPPacket) packet.getPacket(Protocol.TCP);
        if (fragment(tcp.getParentPacket(), s)) {
          return s;
        }
        s.tcp = true;
        s.srcPort = tcp.getSourcePort();
        s.dstPort = tcp.getDestinationPort();
        s.seq = tcp.getSequenceNumber();
        s.syn = tcp.isSYN();
        s.finOrRst = tcp.isFIN() || tcp.isRST();
        s.payload = bytes(tcp.getPayload());
      } else {
        s.skip = "neither UDP nor TCP";
      }
    } catch (IOException | RuntimeException | AssertionError e) {
      // pkts throws unchecked exceptions of its own (and index errors) on a cut or odd frame, and
      // checks its buffers' bounds with assert: with assertions on (-ea) a forged length is an
      // AssertionError, which here means only that this one frame is bad.
      s.skip = null;
      s.malformed = "undecodable frame: " + Json.brief(e);
    }
    return s;
  }

  private static boolean fragment(IPPacket ip, Segment s) {
    s.srcIp = ip.getRawSourceIP();
    s.dstIp = ip.getRawDestinationIP();
    if (ip.isFragmented()) {
      s.skip = "IP fragment";
      return true;
    }
    return false;
  }

  private static byte[] bytes(Buffer payload) {
    return payload == null ? new byte[0] : payload.getArray();
  }

  /**
   * The frame without its 802.1Q / 802.1ad tags: pkts reads one tag, and provider networks stack
   * two (QinQ).
   */
  private static byte[] withoutVlanTags(byte[] data) {
    int at = 12;
    while (data.length >= at + 6 && isVlanTag(((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF))) {
      at += 4;
    }
    if (at == 12) {
      return data;
    }
    byte[] out = new byte[data.length - (at - 12)];
    System.arraycopy(data, 0, out, 0, 12);
    System.arraycopy(data, at, out, 12, data.length - at);
    return out;
  }

  private static boolean isVlanTag(int etherType) {
    return etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100;
  }

  /** The IP packet at {@code offset} behind a synthetic Ethernet header of the right type; null if not IP. */
  private static byte[] asEthernet(byte[] data, int offset) {
    if (data.length <= offset) {
      return null;
    }
    int version = (data[offset] & 0xF0) >> 4;
    int etherType;
    if (version == 4) {
      etherType = 0x0800;
    } else if (version == 6) {
      etherType = 0x86DD;
    } else {
      return null;
    }
    byte[] out = new byte[14 + data.length - offset];
    out[12] = (byte) (etherType >> 8);
    out[13] = (byte) etherType;
    System.arraycopy(data, offset, out, 14, data.length - offset);
    return out;
  }
}
