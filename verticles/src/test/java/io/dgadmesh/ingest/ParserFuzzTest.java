package io.dgadmesh.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Random bytes, cut records and flipped bytes, through every parser: nothing may escape but an
 * IOException (a capture without a capture header), and every reader's counts must add up.
 */
class ParserFuzzTest {
  private static final long SEED = 0x5EED_13L;

  private static Map<LogFormat, byte[]> samples() throws Exception {
    return Map.of(
        LogFormat.ZEEK, utf8(ZeekTsvParserTest.HEADER + ZeekTsvParserTest.UPLOAD + ZeekTsvParserTest.SEARCH_DOMAIN),
        LogFormat.ZEEK_JSON, utf8(ZeekJsonParserTest.AAAA + "\n" + ZeekJsonParserTest.A + "\n"),
        LogFormat.EVE, utf8(String.join("\n", EveParserTest.V2_QUERY, EveParserTest.V2_NXDOMAIN,
            EveParserTest.V1_ANSWER, EveParserTest.V3_REQUEST, EveParserTest.V3_RESPONSE) + "\n"),
        LogFormat.BIND, utf8(BindQueryLogParserTest.WITH_TIME),
        LogFormat.DNSMASQ, utf8(DnsmasqParserTest.PLAIN + DnsmasqParserTest.EXTRA),
        LogFormat.CSV, utf8("ts,client,query,rcode\n1.5,10.0.0.1,a.example,NOERROR\n2,10.0.0.2,\"b.example\",NXDOMAIN\n"),
        LogFormat.LIST, utf8("# list\na.example\n_dmarc.b.example\nwpad\n"),
        LogFormat.PCAP, Captures.pcap(1, PcapReaderTest.udpFrames()));
  }

  @Test
  void randomBytesThroughEveryParser() throws Exception {
    Random random = new Random(SEED);
    for (LogFormat format : LogFormat.values()) {
      for (int i = 0; i < 40; i++) {
        byte[] bytes = new byte[random.nextInt(4096)];
        random.nextBytes(bytes);
        if (format == LogFormat.PCAP && bytes.length >= 24 && i % 2 == 0) {
          // Half the time behind a real pcap header, so the record reader is reached.
          System.arraycopy(Captures.pcap(1, List.of()), 0, bytes, 0, 24);
        }
        survive(bytes, format, "random " + format + " #" + i);
      }
    }
  }

  @Test
  void randomBytesWithDetection() throws Exception {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < 100; i++) {
      byte[] bytes = new byte[random.nextInt(2048)];
      random.nextBytes(bytes);
      survive(bytes, null, "random detected #" + i);
    }
  }

  @Test
  void everyCutOfEverySample() throws Exception {
    for (Map.Entry<LogFormat, byte[]> e : samples().entrySet()) {
      byte[] sample = e.getValue();
      for (int cut = 0; cut <= sample.length; cut++) {
        survive(Arrays.copyOf(sample, cut), e.getKey(), e.getKey() + " cut at " + cut);
      }
    }
  }

  @Test
  void flippedBytesInEverySample() throws Exception {
    Random random = new Random(SEED + 2);
    List<byte[]> pcapngs = List.of(Captures.pcapng(ByteOrder.LITTLE_ENDIAN, 1, PcapReaderTest.udpFrames()),
        Captures.pcapng(ByteOrder.BIG_ENDIAN, 1, PcapReaderTest.udpFrames()));
    List<Map.Entry<LogFormat, byte[]>> inputs = new ArrayList<>(samples().entrySet());
    pcapngs.forEach(b -> inputs.add(Map.entry(LogFormat.PCAP, b)));
    for (Map.Entry<LogFormat, byte[]> e : inputs) {
      for (int i = 0; i < 300; i++) {
        byte[] bytes = e.getValue().clone();
        for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        survive(bytes, e.getKey(), e.getKey() + " flipped #" + i);
      }
    }
  }

  @Test
  void theOneLineParsersTakeAnyString() {
    Random random = new Random(SEED + 3);
    Consumer<DnsRecord> none = r -> { };
    for (LogFormat format : List.of(LogFormat.ZEEK_JSON, LogFormat.EVE)) {
      LineParser parser = DnsLogs.lineParser(format, IngestOptions.DEFAULTS);
      for (int i = 0; i < 500; i++) {
        byte[] b = new byte[random.nextInt(300)];
        random.nextBytes(b);
        try {
          parser.parse(b, 0, b.length, none);
        } catch (RuntimeException ex) {
          fail(format + " line #" + i + " threw " + ex);
        }
      }
    }
  }

  private static void survive(byte[] bytes, LogFormat format, String what) {
    try {
      Logs.Read read = Logs.read(bytes, format);
      assertEquals(0, read.counts().unaccounted(), what);
    } catch (IOException expected) {
      // A capture without its header, a broken gzip stream: the input cannot be read at all.
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(what + ": " + e, e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
