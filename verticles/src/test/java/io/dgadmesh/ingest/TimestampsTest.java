package io.dgadmesh.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static final long NOW = Instant.parse("2026-12-01T13:00:00Z").toEpochMilli();

  @Test
  void epochSecondsWithAnyFraction() {
    assertEquals(1300475168853L, epoch("1300475168.853899"));
    assertEquals(1300475168000L, epoch("1300475168"));
    assertEquals(1300475168500L, epoch("1300475168.5"));
    assertEquals(Timestamps.INVALID, epoch("XXXXXXXXXX.XXXXXX"));
    assertEquals(Timestamps.INVALID, epoch("12.3.4"));
    assertEquals(Timestamps.INVALID, epoch(""));
  }

  @Test
  void isoWithTheOffsetsZeekAndSuricataWrite() {
    assertEquals(Instant.parse("2026-03-30T22:20:41.789Z").toEpochMilli(), Timestamps.isoToMillis("2026-03-30T22:20:41.789170Z"));
    assertEquals(Instant.parse("2015-10-20T22:07:21.584Z").toEpochMilli(), Timestamps.isoToMillis("2015-10-20T16:07:21.584630-0600"));
    assertEquals(Instant.parse("2015-10-20T22:07:21Z").toEpochMilli(), Timestamps.isoToMillis("2015-10-20T23:07:21+01:00"));
    assertEquals(Instant.parse("2015-10-20T22:07:21Z").toEpochMilli(), Timestamps.isoToMillis("2015-10-20T22:07:21"));
    assertEquals(Timestamps.INVALID, Timestamps.isoToMillis("last tuesday at noon"));
  }

  @Test
  void leadingTimesOfBindAndSyslogLines() {
    assertArrayEquals(new long[] {Instant.parse("2026-12-01T12:58:19.545Z").toEpochMilli(), 24},
        Timestamps.leading("01-Dec-2026 12:58:19.545 queries: info: client", NOW));
    assertArrayEquals(new long[] {Instant.parse("2026-12-01T12:58:33Z").toEpochMilli(), 15},
        Timestamps.leading("Dec  1 12:58:33 dnsmasq[12171]: query[A] x from y", NOW));
    assertArrayEquals(new long[] {Instant.parse("2025-12-31T23:59:59Z").toEpochMilli(), 15},
        Timestamps.leading("Dec 31 23:59:59 host named[1]: x", Instant.parse("2026-01-01T00:00:05Z").toEpochMilli()),
        "a syslog time that would lie ahead belongs to last year");
    assertArrayEquals(new long[] {Instant.parse("2026-12-01T12:00:00.123Z").toEpochMilli(), 29},
        Timestamps.leading("2026-12-01T12:00:00.123+00:00 host dnsmasq[1]: x", NOW));
    assertArrayEquals(new long[] {DnsRecord.UNKNOWN_TIME, 0}, Timestamps.leading("client @0x1 1.2.3.4#5", NOW));
  }

  private static long epoch(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return Timestamps.epochSecondsToMillis(b, 0, b.length);
  }
}
