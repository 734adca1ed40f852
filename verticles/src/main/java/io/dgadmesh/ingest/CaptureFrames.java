package io.dgadmesh.ingest;

import java.io.Closeable;
import java.io.IOException;

/** The frames of a capture file, one at a time. */
interface CaptureFrames extends Closeable {

  /** The largest frame or block read; a capture claiming more is corrupt (snap lengths are 256 KiB). */
  int MAX_FRAME_BYTES = 1 << 20;

  /** The next frame, or null at the end (or where the file stops making sense: see {@link #problem}). */
  CaptureFrame next() throws IOException;

  /** Why the capture ended before its end of file (truncated, corrupt), or null. */
  String problem();
}
