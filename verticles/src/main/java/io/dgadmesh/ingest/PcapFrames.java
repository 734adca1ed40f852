package io.dgadmesh.ingest;

import io.pkts.buffer.BoundedInputStreamBuffer;
import io.pkts.buffer.Buffer;
import io.pkts.frame.PcapGlobalHeader;
import io.pkts.framer.FramerManager;
import io.pkts.framer.PcapFramer;
import io.pkts.packet.PCapPacket;
import java.io.IOException;
import java.io.InputStream;

/**
 * The frames of a classic pcap file (micro- or nanosecond, either byte order), read by pkts-core's
 * {@link PcapFramer} over its bounded stream buffer: one frame in memory at a time.
 */
final class PcapFrames implements CaptureFrames {
  private final InputStream in;
  private final Buffer buffer;
  private final PcapGlobalHeader header;
  private final PcapFramer framer;
  private final int linkType;
  private final boolean nanos;
  private String problem;

  PcapFrames(InputStream in) throws IOException {
    this.in = in;
    this.buffer = new BoundedInputStreamBuffer(MAX_FRAME_BYTES, in);
    PcapGlobalHeader h;
    try {
      h = PcapGlobalHeader.parse(buffer);
    } catch (RuntimeException e) {
      throw new IOException("not a pcap file: " + e.getMessage(), e);
    }
    this.header = h;
    this.framer = new PcapFramer(h, FramerManager.getInstance());
    this.linkType = h.getDataLinkType();
    this.nanos = h.timestampsInNs();
  }

  @Override
  public CaptureFrame next() throws IOException {
    if (problem != null) {
      return null;
    }
    PCapPacket packet;
    try {
      packet = framer.frame(null, buffer);
    } catch (RuntimeException | AssertionError e) {
      // pkts reports a record it cannot frame (a cut file, a length past its buffer) unchecked,
      // or, with assertions on, through its own assert statements.
      problem = "truncated or corrupt pcap record: " + Json.brief(e);
      return null;
    }
    if (packet == null) {
      return null;
    }
    Buffer payload = packet.getPayload();
    if (payload == null) {
      problem = "truncated pcap record at the end of the file";
      return null;
    }
    long arrival = packet.getArrivalTime();
    long millis = nanos ? arrival / 1_000_000L : arrival / 1_000L;
    return new CaptureFrame(millis, linkType, payload.getArray());
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
