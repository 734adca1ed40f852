package io.dgadmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.testing.Names;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dgad hosts} on a Zeek dns.log the test writes: the infected host first, the others clean. */
class HostsCommandTest {
  private static final String HEADER = """
      #separator \\x09
      #set_separator\t,
      #empty_field\t(empty)
      #unset_field\t-
      #path\tdns
      #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected
      #types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool
      """;
  private static final String[] COMMON = {"google.com", "www.wikipedia.org", "github.com", "mail.yahoo.com",
      "www.bbc.co.uk", "api.twitter.com", "www.amazon.com", "outlook.office365.com"};

  private static String line(double ts, String client, String query, String rcode, String answer) {
    int code = "NXDOMAIN".equals(rcode) ? 3 : 0;
    return String.join("\t", String.format("%.6f", ts), "C" + (long) (ts * 1000), client, "53000", "10.0.0.1", "53", "udp",
        "1", "0.001", query, "1", "C_INTERNET", "1", "A", String.valueOf(code), rcode, "F", "F", "T", "T", "0",
        answer == null ? "-" : answer, answer == null ? "-" : "60.0", "F");
  }

  @Test
  void theInfectedHostComesFirstAndTheOthersAreClean(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    double t = 1_767_225_600.0;
    for (int h = 1; h <= 20; h++) {
      for (int i = 0; i < 40; i++) {
        lines.add(line(t += 0.5, "10.0.0." + h, COMMON[(h + i) % COMMON.length], "NOERROR", "93.184.216.34"));
      }
    }
    for (int i = 0; i < 30; i++) {
      lines.add(line(t += 0.2, "10.0.0.66", Names.randomDga(16 + i % 6, 100 + i), "NXDOMAIN", null));
      lines.add(line(t += 0.2, "10.0.0.66", COMMON[i % COMMON.length], "NOERROR", "93.184.216.34"));
    }
    lines.add("this line is not a Zeek record");
    Path log = dir.resolve("dns.log");
    Files.writeString(log, HEADER + String.join("\n", lines) + "\n");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    JsonObject conf = NodeConfig.load(null, Map.of());
    int code = HostsCommand.run(new String[] {log.toString()}, conf, InputStream.nullInputStream(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    String errText = err.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, errText);
    String[] rows = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(21, rows.length, "one line per client host");
    JsonObject first = new JsonObject(rows[0]);
    assertEquals("10.0.0.66", first.getString("host"));
    assertTrue(first.getBoolean("infected"), rows[0]);
    assertEquals(30, first.getInteger("nxdomain"));
    assertTrue(first.getInteger("dga_names") >= 20, rows[0]);
    assertFalse(first.getJsonArray("evidence").isEmpty());
    for (int i = 1; i < rows.length; i++) {
      JsonObject h = new JsonObject(rows[i]);
      assertFalse(h.getBoolean("infected"), rows[i]);
      assertTrue(h.getDouble("score") <= first.getDouble("score"));
    }
    assertTrue(errText.contains("1 malformed"), errText);
    assertTrue(errText.contains("21 hosts, 1 infected"), errText);
  }

  /** hosts.threshold decides the verdict: raised far enough, the same log flags no host, and the score is unchanged. */
  @Test
  void theConfiguredHostThresholdDecides(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    double t = 1_767_225_600.0;
    for (int i = 0; i < 30; i++) {
      lines.add(line(t += 0.2, "10.0.0.66", Names.randomDga(16 + i % 6, 100 + i), "NXDOMAIN", null));
    }
    Path log = dir.resolve("dns.log");
    Files.writeString(log, HEADER + String.join("\n", lines) + "\n");
    JsonObject shipped = hostsOf(log, NodeConfig.load(null, Map.of()));
    assertTrue(shipped.getBoolean("infected"), shipped.encode());
    double score = shipped.getDouble("score");
    JsonObject raised = hostsOf(log, NodeConfig.load(null, Map.of("DGAD_HOSTS_THRESHOLD", String.valueOf(score + 1))));
    assertFalse(raised.getBoolean("infected"), raised.encode());
    assertEquals(score, raised.getDouble("score"), 1e-9);
  }

  private static JsonObject hostsOf(Path log, JsonObject conf) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = HostsCommand.run(new String[] {log.toString()}, conf, InputStream.nullInputStream(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return new JsonObject(out.toString(StandardCharsets.UTF_8).split("\n")[0]);
  }

  /** The model is opened as a node opens it: an operating point the model lacks stops the command, naming its points. */
  @Test
  void theConfiguredOperatingPointCounts(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("dns.log");
    Files.writeString(log, HEADER + line(1_767_225_600.0, "10.0.0.1", "google.com", "NOERROR", "93.184.216.34") + "\n");
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> HostsCommand.run(new String[] {log.toString()}, NodeConfig.load(null, Map.of("DGAD_OPERATING_POINT", "lenient")),
            InputStream.nullInputStream(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
    assertTrue(e.getMessage().contains("'lenient'") && e.getMessage().contains("(it has "), e.getMessage());
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = HostsCommand.run(new String[] {dir.resolve("none.log").toString()}, NodeConfig.load(null, Map.of()),
        InputStream.nullInputStream(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(1, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such file"));
  }
}
