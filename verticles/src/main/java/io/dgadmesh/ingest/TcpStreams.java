package io.dgadmesh.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DNS over TCP: each direction of a connection is a stream of messages, each behind a two-byte
 * length (RFC 1035 4.2.2), cut into segments anyhow. This joins in-order segments and hands out
 * whole messages. Bounded: at most {@link #MAX_STREAMS} streams (the least recently used goes),
 * each holding at most one message and its length. A gap in the sequence (a lost segment) drops
 * what the stream held, which the next bad length then reports rather than hides.
 */
final class TcpStreams {
  static final int MAX_STREAMS = 256;
  private static final int MAX_HELD = 2 + 65_535;

  record Direction(String src, int srcPort, String dst, int dstPort) {}

  private static final class Stream {
    long expected;
    byte[] buf = new byte[512];
    int len;

    Stream(long expected) {
      this.expected = expected;
    }
  }

  private final LinkedHashMap<Direction, Stream> streams = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Direction, Stream> eldest) {
      return size() > MAX_STREAMS;
    }
  };

  /** The whole messages this segment completes (often none). */
  List<byte[]> feed(Direction direction, PacketDecoder.Segment s) {
    if (s.syn) {
      streams.put(direction, new Stream((s.seq + 1) & 0xFFFFFFFFL));
      return List.of();
    }
    byte[] payload = s.payload;
    List<byte[]> messages = List.of();
    if (payload.length > 0) {
      Stream st = streams.computeIfAbsent(direction, d -> new Stream(s.seq));
      int ahead = (int) (s.seq - st.expected);
      if (ahead < 0) {
        // A retransmission of what was already taken.
        return finish(direction, s, messages);
      }
      if (ahead > 0) {
        st.len = 0;
      }
      if (st.len + payload.length > MAX_HELD) {
        st.len = 0;
      }
      if (payload.length <= MAX_HELD) {
        if (st.buf.length < st.len + payload.length) {
          st.buf = Arrays.copyOf(st.buf, Math.min(MAX_HELD, Math.max(st.buf.length * 2, st.len + payload.length)));
        }
        System.arraycopy(payload, 0, st.buf, st.len, payload.length);
        st.len += payload.length;
      }
      st.expected = (s.seq + payload.length) & 0xFFFFFFFFL;
      messages = take(st);
    }
    return finish(direction, s, messages);
  }

  private List<byte[]> finish(Direction direction, PacketDecoder.Segment s, List<byte[]> messages) {
    if (s.finOrRst) {
      streams.remove(direction);
    }
    return messages;
  }

  private static List<byte[]> take(Stream st) {
    List<byte[]> out = null;
    int at = 0;
    while (st.len - at >= 2) {
      int length = ((st.buf[at] & 0xFF) << 8) | (st.buf[at + 1] & 0xFF);
      if (st.len - at - 2 < length) {
        break;
      }
      if (out == null) {
        out = new ArrayList<>(1);
      }
      out.add(Arrays.copyOfRange(st.buf, at + 2, at + 2 + length));
      at += 2 + length;
    }
    if (at > 0) {
      System.arraycopy(st.buf, at, st.buf, 0, st.len - at);
      st.len -= at;
    }
    return out == null ? List.of() : out;
  }
}
