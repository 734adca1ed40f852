package io.dgadmesh.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * A growing log read as one endless stream, as {@code tail -F} does: at the end of the file it
 * waits for more; when the file is rotated (the path names another file, or the file shrank) it
 * finishes the old file and goes on from the start of the new one. Before each wait it runs
 * {@code onIdle}, so a reader can hand on what it gathered instead of holding it until the next
 * line comes. It ends only when closed or interrupted.
 */
public final class FollowedFile extends InputStream {
  private static final long POLL_MS = 250;

  private final Path path;
  private final Runnable onIdle;
  private FileChannel channel;
  private Object fileKey;
  private long position;
  private volatile boolean closed;

  public FollowedFile(Path path, Runnable onIdle) throws IOException {
    this.path = path;
    this.onIdle = onIdle == null ? () -> { } : onIdle;
    open();
  }

  private void open() throws IOException {
    channel = FileChannel.open(path, StandardOpenOption.READ);
    fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    position = 0;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!closed) {
      int n = channel.read(ByteBuffer.wrap(b, off, len), position);
      if (n > 0) {
        position += n;
        return n;
      }
      if (rotated()) {
        channel.close();
        open();
        continue;
      }
      onIdle.run();
      try {
        Thread.sleep(POLL_MS); // a file offers no wake-up on growth that works on every filesystem
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
    return -1;
  }

  /** Whether the path now names another file, or this one was truncated. Only at the end of the old one. */
  private boolean rotated() throws IOException {
    try {
      BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
      return !Objects.equals(now.fileKey(), fileKey) || now.size() < position;
    } catch (NoSuchFileException e) {
      return false; // between the rename and the new file: wait for it
    }
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, channel.size() - position));
  }

  @Override
  public void close() throws IOException {
    closed = true;
    channel.close();
  }
}
