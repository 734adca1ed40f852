package io.dgadmesh.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opens a DNS log of any format read here as a {@link RecordReader}: gzip is unwrapped by its
 * magic bytes (not the file name), and when no format is given {@link FormatDetector} decides
 * from the first 64 KiB.
 */
public final class DnsLogs {
  private static final int HEAD_BYTES = 64 * 1024;

  private DnsLogs() {}

  public static RecordReader open(Path file, LogFormat formatOrNull) throws IOException {
    return open(file, formatOrNull, IngestOptions.DEFAULTS);
  }

  public static RecordReader open(Path file, LogFormat formatOrNull, IngestOptions options) throws IOException {
    InputStream in = Files.newInputStream(file);
    try {
      return open(in, file.toString(), formatOrNull, options);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  public static RecordReader open(InputStream in, String sourceName, LogFormat formatOrNull) throws IOException {
    return open(in, sourceName, formatOrNull, IngestOptions.DEFAULTS);
  }

  /**
   * A reader of {@code in}, which it closes when closed. Throws IOException only for what cannot
   * be read at all (a capture without a capture header, a broken gzip header); bad lines are
   * counted by the reader instead.
   */
  public static RecordReader open(InputStream in, String sourceName, LogFormat formatOrNull,
      IngestOptions options) throws IOException {
    IngestOptions opts = options == null ? IngestOptions.DEFAULTS : options;
    BufferedInputStream buffered = new BufferedInputStream(in, HEAD_BYTES);
    byte[] head = peek(buffered, 2);
    InputStream body = buffered;
    if (FormatDetector.isGzip(head, head.length)) {
      try {
        body = new BufferedInputStream(new GZIPInputStream(buffered, HEAD_BYTES), HEAD_BYTES);
      } catch (IOException e) {
        throw new IOException(sourceName + ": broken gzip header: " + e.getMessage(), e);
      }
    }
    BufferedInputStream bodyBuffered = body instanceof BufferedInputStream b ? b : new BufferedInputStream(body, HEAD_BYTES);
    byte[] start = peek(bodyBuffered, HEAD_BYTES);
    LogFormat format = formatOrNull != null ? formatOrNull : FormatDetector.detect(start, start.length, opts.csv());
    if (format == LogFormat.PCAP) {
      if (FormatDetector.isPcapNg(start, start.length)) {
        return new PcapReader(new PcapNgFrames(bodyBuffered));
      }
      if (!FormatDetector.isPcap(start, start.length)) {
        throw new IOException(sourceName + ": not a pcap or pcapng file");
      }
      try {
        return new PcapReader(new PcapFrames(bodyBuffered));
      } catch (IOException e) {
        throw new IOException(sourceName + ": " + e.getMessage(), e);
      }
    }
    if (start.length >= 3 && (start[0] & 0xFF) == 0xEF && (start[1] & 0xFF) == 0xBB && (start[2] & 0xFF) == 0xBF) {
      bodyBuffered.skipNBytes(3);
    }
    return new LineRecordReader(new LineSource(bodyBuffered, opts.maxLineBytes()), parser(format, opts));
  }

  /**
   * A parser for one line of a one-line format (zeek-json, eve), as a Kafka message holds: no
   * state between lines. For eve it makes records from responses (and from requests too when
   * {@link IngestOptions#eveRequests} is set).
   */
  public static LineParser lineParser(LogFormat format, IngestOptions options) {
    IngestOptions opts = options == null ? IngestOptions.DEFAULTS : options;
    return switch (format) {
      case ZEEK_JSON -> new ZeekJsonParser();
      case EVE -> new EveParser(opts.eveRequests());
      default -> throw new IllegalArgumentException(
          "a " + format.id() + " record may span lines; one-line formats are zeek-json and eve");
    };
  }

  static LineParser parser(LogFormat format, IngestOptions opts) {
    return switch (format) {
      case ZEEK -> new ZeekTsvParser();
      case ZEEK_JSON -> new ZeekJsonParser();
      case EVE -> new EveLogParser();
      case BIND -> new BindQueryLogParser();
      case DNSMASQ -> new DnsmasqParser();
      case CSV -> new CsvParser(opts.csv());
      case LIST -> new NameListParser();
      case PCAP -> throw new IllegalArgumentException("pcap is not a line format");
    };
  }

  /**
   * Up to {@code n} bytes from the start, without consuming them. It stops early once it has some
   * bytes and no more are available without blocking: a followed log (or a pipe) may not have
   * {@code n} bytes yet, and detection must not wait for them.
   */
  private static byte[] peek(BufferedInputStream in, int n) throws IOException {
    in.mark(n + 1);
    byte[] head = new byte[n];
    int got = 0;
    while (got < n) {
      int r = in.read(head, got, n - got);
      if (r < 0) {
        break;
      }
      got += r;
      if (in.available() <= 0) {
        break;
      }
    }
    in.reset();
    return got == n ? head : java.util.Arrays.copyOf(head, got);
  }
}
