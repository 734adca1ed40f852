package io.dgadmesh.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dgadmesh.ingest.DnsRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordLinesTest {

  private final List<DnsRecord> out = new ArrayList<>();

  private int parse(String value) {
    return new RecordLines().parse(value.getBytes(StandardCharsets.UTF_8), out::add);
  }

  @Test
  void zeekJsonNestedOrFlatWithItsTimeInSecondsOrIso() {
    assertEquals(0, parse("{\"ts\":\"2023-11-14T22:13:20.5Z\",\"id\":{\"orig_h\":\"fe80::1\"},\"query\":\"a.example\","
        + "\"qtype_name\":\"A\",\"rcode_name\":\"NOERROR\",\"answers\":[\"1.2.3.4\",\"b.example\"]}\r\n\n"
        + "{\"ts\":1700000000.123,\"id.orig_h\":\"10.1.1.1\",\"query\":\"x.example\"}"));
    assertEquals(List.of(
        new DnsRecord(1700000000500L, "fe80::1", "a.example", "A", "NOERROR", List.of("1.2.3.4", "b.example")),
        new DnsRecord(1700000000123L, "10.1.1.1", "x.example", "", "", List.of())), out);
  }

  @Test
  void eveResponsesGiveRecordsRequestsAndOtherEventsNone() {
    assertEquals(0, parse("{\"timestamp\":\"2023-11-14T22:13:20.000000+0100\",\"event_type\":\"dns\",\"src_ip\":\"10.0.0.1\","
        + "\"src_port\":53,\"dest_ip\":\"10.0.0.2\",\"dest_port\":5000,\"dns\":{\"type\":\"answer\",\"rrname\":\"r.example\","
        + "\"rrtype\":\"A\",\"rcode\":\"NXDOMAIN\"}}\n"
        + "{\"event_type\":\"dns\",\"src_ip\":\"10.0.0.2\",\"dns\":{\"type\":\"query\",\"rrname\":\"r.example\"}}\n"
        + "{\"event_type\":\"alert\",\"src_ip\":\"10.0.0.2\"}"));
    assertEquals(List.of(new DnsRecord(1699996400000L, "10.0.0.2", "r.example", "A", "NXDOMAIN", List.of())), out);
  }

  @Test
  void eachLineThatIsNoRecordIsCountedAndTheOthersStillRead() {
    assertEquals(5, parse("{not json\n[1,2]\n{\"query\":5}\n{\"event_type\":\"dns\",\"dns\":{\"type\":\"answer\"}}\n"
        + "{\"ts\":1,\"id.orig_h\":\"10.0.0.3\"}\n{\"query\":\"kept.example\",\"ts\":\"yesterday\"}"));
    assertEquals(List.of(new DnsRecord(DnsRecord.UNKNOWN_TIME, "", "kept.example", "", "", List.of())), out);
  }
}
