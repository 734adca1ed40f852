package io.dgadmesh.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dgadmesh.ingest.DnsRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLinesTest {

  private final List<DnsRecord> out = new ArrayList<>();

  private int parse(String value) {
    return new LogLines().parse(value.getBytes(StandardCharsets.UTF_8), out::add);
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
    assertEquals(0, parse("{\"timestamp\":\"2023-11-14T22:13:20.000000+0100\",\"flow_id\":7,\"event_type\":\"dns\","
        + "\"src_ip\":\"10.0.0.1\",\"src_port\":53,\"dest_ip\":\"10.0.0.2\",\"dest_port\":5000,\"proto\":\"UDP\","
        + "\"dns\":{\"version\":2,\"type\":\"answer\",\"id\":1,\"rrname\":\"r.example\",\"rrtype\":\"A\",\"rcode\":\"NXDOMAIN\"}}\n"
        + "{\"event_type\":\"dns\",\"src_ip\":\"10.0.0.2\",\"src_port\":5000,\"dest_ip\":\"10.0.0.1\",\"dest_port\":53,"
        + "\"dns\":{\"type\":\"query\",\"id\":1,\"rrname\":\"r.example\",\"rrtype\":\"A\"}}\n"
        + "{\"event_type\":\"alert\",\"src_ip\":\"10.0.0.2\"}"));
    assertEquals(1, out.size(), out.toString());
    DnsRecord r = out.get(0);
    assertEquals("10.0.0.2", r.client(), "the side that is not port 53");
    assertEquals("r.example", r.query());
    assertEquals("NXDOMAIN", r.rcode());
    assertEquals(1699996400000L, r.timeMillis());
  }

  @Test
  void eachLineThatIsNoRecordIsCountedAndTheOthersStillRead() {
    // Not JSON, not an object, a Zeek line without a query name: each counted.
    assertEquals(List.of(1, 1, 1), List.of(parse("{not json"), parse("[1,2]"), parse("{\"query\":5}")));
    int malformed = parse("{not json\n[1,2]\n{\"query\":5}\n"
        + "{\"ts\":1700000000,\"id.orig_h\":\"10.0.0.3\",\"query\":\"kept.example\"}");
    assertEquals(3, malformed);
    assertEquals(List.of(new DnsRecord(1700000000000L, "10.0.0.3", "kept.example", "", "", List.of())), out);
  }
}
