package io.dgadmesh.ingest;

/** One captured frame: its time, the capture's link type for it, and its bytes. */
record CaptureFrame(long timeMillis, int linkType, byte[] data) {}
