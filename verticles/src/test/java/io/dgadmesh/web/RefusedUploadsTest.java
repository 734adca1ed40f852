package io.dgadmesh.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dgadmesh.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many uploads in a row that the node refuses as they arrive (an entry over a job entry's limit),
 * from one keep-alive client: every one is answered. The node answers before the body's end and
 * closes the connection after it. With the JDK's client (and curl) every answer arrives; Vert.x
 * 5.0.7's own HttpClient waited for good on about 1 in 1,000 of them (seen by bench --fuzz), so
 * this test and the fuzz harness's jobs door use the JDK's.
 */
@Timeout(300)
class RefusedUploadsTest {
  private static TestNode node;
  private static final HttpClient JDK = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("web-refused", conf -> { });
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void everyRefusedUploadIsAnswered() throws Exception {
    Random r = new Random(7);
    List<String> unanswered = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      StringBuilder b = new StringBuilder();
      int len = 4097 + r.nextInt(8000);
      for (int k = 0; k < len; k++) {
        b.append((char) ('a' + r.nextInt(26)));
      }
      String body = new JsonObject().put("domains", new JsonArray().add(b.toString())).encode();
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.webPort + "/api/jobs"))
          .timeout(Duration.ofSeconds(15)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      try {
        int s = JDK.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
        assertEquals(400, s);
      } catch (HttpTimeoutException e) {
        unanswered.add("upload " + i + " of " + body.length() + " bytes");
      }
    }
    assertEquals(List.of(), unanswered);
  }
}
