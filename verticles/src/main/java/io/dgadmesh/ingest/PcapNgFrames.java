package io.dgadmesh.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The packets of a pcapng file. pkts-core reads only classic pcap, so this small block reader
 * does pcapng: Section Header (either byte order, several sections), Interface Description (link
 * type and {@code if_tsresol}), Enhanced, Simple and the obsolete Packet blocks; other blocks are
 * skipped by their length. One block in memory at a time, at most {@link #MAX_FRAME_BYTES}.
 */
final class PcapNgFrames implements CaptureFrames {
  static final int SECTION_HEADER = 0x0A0D0D0A;
  private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
  private static final int INTERFACE = 1;
  private static final int OBSOLETE_PACKET = 2;
  private static final int SIMPLE_PACKET = 3;
  private static final int ENHANCED_PACKET = 6;

  private record Interface(int linkType, long snapLength, boolean binary, int resolution) {}

  private final InputStream in;
  private final List<Interface> interfaces = new ArrayList<>();
  private boolean littleEndian;
  private boolean inSection;
  private String problem;
  private final byte[] word = new byte[4];

  PcapNgFrames(InputStream in) {
    this.in = in;
  }

  @Override
  public CaptureFrame next() throws IOException {
    while (problem == null) {
      if (!readFully(word, true)) {
        return null;
      }
      int type = littleEndian ? le(word, 0) : be(word, 0);
      if (type == SECTION_HEADER || !inSection) {
        if (!sectionHeader(word)) {
          return null;
        }
        continue;
      }
      byte[] lengthBytes = new byte[4];
      if (!readFully(lengthBytes, false)) {
        return null;
      }
      long total = Integer.toUnsignedLong(littleEndian ? le(lengthBytes, 0) : be(lengthBytes, 0));
      if (total < 12 || total % 4 != 0 || total > MAX_FRAME_BYTES + 64) {
        problem = "pcapng block of " + total + " bytes";
        return null;
      }
      byte[] body = new byte[(int) total - 8];
      if (!readFully(body, false)) {
        return null;
      }
      CaptureFrame frame = block(type, body, body.length - 4);
      if (frame != null) {
        return frame;
      }
    }
    return null;
  }

  private boolean sectionHeader(byte[] typeBytes) throws IOException {
    if (be(typeBytes, 0) != SECTION_HEADER) {
      problem = "not a pcapng section header";
      return false;
    }
    byte[] head = new byte[8];
    if (!readFully(head, false)) {
      return false;
    }
    int magic = be(head, 4);
    if (magic == BYTE_ORDER_MAGIC) {
      littleEndian = false;
    } else if (Integer.reverseBytes(magic) == BYTE_ORDER_MAGIC) {
      littleEndian = true;
    } else {
      problem = "pcapng section header without its byte-order magic";
      return false;
    }
    long total = Integer.toUnsignedLong(littleEndian ? le(head, 0) : be(head, 0));
    if (total < 28 || total % 4 != 0 || total > MAX_FRAME_BYTES) {
      problem = "pcapng section header of " + total + " bytes";
      return false;
    }
    byte[] rest = new byte[(int) total - 12];
    if (!readFully(rest, false)) {
      return false;
    }
    interfaces.clear();
    inSection = true;
    return true;
  }

  /** The frame a block holds, or null for a block that holds none. {@code end} is where its options stop. */
  private CaptureFrame block(int type, byte[] b, int end) {
    switch (type) {
      case INTERFACE -> {
        if (end < 8) {
          problem = "short interface description block";
          return null;
        }
        int link = u16(b, 0);
        long snap = Integer.toUnsignedLong(i32(b, 4));
        boolean binary = false;
        int resolution = 6;
        int at = 8;
        while (at + 4 <= end) {
          int code = u16(b, at);
          int length = u16(b, at + 2);
          if (code == 0 || at + 4 + length > end) {
            break;
          }
          if (code == 9 && length >= 1) {
            int v = b[at + 4] & 0xFF;
            binary = (v & 0x80) != 0;
            resolution = v & 0x7F;
          }
          at += 4 + ((length + 3) & ~3);
        }
        interfaces.add(new Interface(link, snap, binary, resolution));
        return null;
      }
      case ENHANCED_PACKET -> {
        if (end < 20) {
          problem = "short enhanced packet block";
          return null;
        }
        return frame(i32(b, 0), i32(b, 4), i32(b, 8), i32(b, 12), b, 20, end);
      }
      case OBSOLETE_PACKET -> {
        if (end < 20) {
          problem = "short packet block";
          return null;
        }
        return frame(u16(b, 0), i32(b, 4), i32(b, 8), i32(b, 12), b, 20, end);
      }
      case SIMPLE_PACKET -> {
        if (end < 4 || interfaces.isEmpty()) {
          problem = "simple packet block without an interface";
          return null;
        }
        Interface itf = interfaces.get(0);
        long original = Integer.toUnsignedLong(i32(b, 0));
        int length = (int) Math.min(Math.min(original, itf.snapLength() == 0 ? original : itf.snapLength()), end - 4);
        return new CaptureFrame(DnsRecord.UNKNOWN_TIME, itf.linkType(), java.util.Arrays.copyOfRange(b, 4, 4 + length));
      }
      default -> {
        return null;
      }
    }
  }

  private CaptureFrame frame(int interfaceId, int tsHigh, int tsLow, int captured, byte[] b, int at, int end) {
    if (interfaceId < 0 || interfaceId >= interfaces.size()) {
      problem = "packet of interface " + interfaceId + " that was never described";
      return null;
    }
    if (captured < 0 || at + captured > end) {
      problem = "packet longer than its block";
      return null;
    }
    Interface itf = interfaces.get(interfaceId);
    long ts = (Integer.toUnsignedLong(tsHigh) << 32) | Integer.toUnsignedLong(tsLow);
    return new CaptureFrame(millis(ts, itf), itf.linkType(), java.util.Arrays.copyOfRange(b, at, at + captured));
  }

  private static long millis(long ts, Interface itf) {
    if (itf.binary()) {
      return (long) (ts / Math.pow(2, itf.resolution()) * 1000.0);
    }
    int digits = itf.resolution();
    if (digits >= 3) {
      return ts / (long) Math.pow(10, Math.min(digits - 3, 18));
    }
    return ts * (long) Math.pow(10, 3 - digits);
  }

  /** Reads all of {@code b}; false at a clean end (before any byte, when allowed), else notes the truncation. */
  private boolean readFully(byte[] b, boolean endAllowed) throws IOException {
    int n = 0;
    while (n < b.length) {
      int r = in.read(b, n, b.length - n);
      if (r < 0) {
        if (n == 0 && endAllowed) {
          return false;
        }
        problem = "pcapng file truncated in a block";
        return false;
      }
      n += r;
    }
    return true;
  }

  private int i32(byte[] b, int at) {
    return littleEndian ? le(b, at) : be(b, at);
  }

  private int u16(byte[] b, int at) {
    return littleEndian ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 : (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
  }

  private static int be(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }

  private static int le(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }

  @Override
  public String problem() {
    return problem;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

}
