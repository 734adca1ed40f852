package io.dgadmesh.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatDetectorTest {

  @Test
  void eachFormatIsKnownByItsFirstLines() {
    assertEquals(LogFormat.ZEEK, detect(ZeekTsvParserTest.HEADER + ZeekTsvParserTest.UPLOAD));
    assertEquals(LogFormat.ZEEK_JSON, detect(ZeekJsonParserTest.A + "\n"));
    assertEquals(LogFormat.EVE, detect(EveParserTest.V2_QUERY + "\n"));
    assertEquals(LogFormat.BIND, detect(BindQueryLogParserTest.WITH_TIME));
    assertEquals(LogFormat.DNSMASQ, detect(DnsmasqParserTest.PLAIN));
    assertEquals(LogFormat.DNSMASQ, detect("query[A] x.example from 10.0.0.1\n"));
    assertEquals(LogFormat.CSV, detect("ts,client,query\n1,10.0.0.1,x.example\n"));
    assertEquals(LogFormat.CSV, detect("\"domain\"\texample.com\n"));
    assertEquals(LogFormat.LIST, detect("example.com\nexample.org\n"));
    assertEquals(LogFormat.LIST, detect(""));
    assertEquals(LogFormat.PCAP, FormatDetector.detect(new byte[] {(byte) 0xD4, (byte) 0xC3, (byte) 0xB2, (byte) 0xA1}, 4, null));
    assertEquals(LogFormat.PCAP, FormatDetector.detect(new byte[] {0x0A, 0x0D, 0x0D, 0x0A}, 4, null));
  }

  @Test
  void aGivenNameColumnMakesACsvHeader() {
    byte[] head = "when,fqdn\n1,x.example\n".getBytes(StandardCharsets.UTF_8);
    assertEquals(LogFormat.LIST, FormatDetector.detect(head, head.length, CsvColumns.AUTO));
    assertEquals(LogFormat.CSV, FormatDetector.detect(head, head.length, CsvColumns.name("fqdn")));
  }

  @Test
  void formatIdsAndTheirError() {
    assertEquals(LogFormat.ZEEK_JSON, LogFormat.fromId("Zeek-JSON"));
    assertEquals(LogFormat.PCAP, LogFormat.fromId("pcapng"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogFormat.fromId("splunk"));
    assertEquals("unknown input format 'splunk': one of zeek, zeek-json, eve, bind, dnsmasq, pcap, csv, list", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LogFormat.fromId(" "));
    assertThrows(IllegalArgumentException.class, () -> DnsLogs.lineParser(LogFormat.ZEEK, null));
  }

  @Test
  void aGzippedFileIsDetectedInsideAndReadWhateverItsName(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("eve.txt");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write((EveParserTest.V3_REQUEST + "\n" + EveParserTest.V3_RESPONSE + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Files.write(file, bytes.toByteArray());
    try (RecordReader reader = DnsLogs.open(file, null)) {
      assertEquals("www.suricata-ids.org", Logs.drain(reader).only().query());
    }
  }

  @Test
  void aCaptureThatIsNotOneIsAnIoError() {
    byte[] text = "not a capture\n".getBytes(StandardCharsets.UTF_8);
    Exception e = assertThrows(java.io.IOException.class, () -> Logs.read(text, LogFormat.PCAP));
    assertTrue(e.getMessage().contains("not a pcap or pcapng file"), e.getMessage());
  }

  private static LogFormat detect(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return FormatDetector.detect(b, b.length, CsvColumns.AUTO);
  }
}
