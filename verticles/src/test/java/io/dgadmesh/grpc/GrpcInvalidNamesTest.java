package io.dgadmesh.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.ShownName;
import io.dgadmesh.grpc.dgad3.Classification;
import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcService;
import io.dgadmesh.grpc.v1.Result;
import io.dgadmesh.testing.GrpcCalls;
import io.dgadmesh.testing.Names;
import io.dgadmesh.testing.RedisServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Names that are not UTF-8 on the wire (a proto3 string field holding raw bytes, as a client
 * built on bytes can send them): a single-name call gets INVALID_ARGUMENT, a batch or stream gets
 * a per-name error and the other names their results; a message that is not protobuf at all gets
 * INVALID_ARGUMENT. Protobuf's own parser refused the whole message, and Vert.x then reset the
 * call (the client saw CANCELLED, the batch lost every name).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcInvalidNamesTest {

  private static final ServiceMethod<Domain, Buffer> DGAD4_RAW = ServiceMethod.client(ServiceName.create("Classifier"),
      "GetClassification", GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.decoder(Domain.newBuilder()));
  private static final ServiceMethod<Classification, Buffer> DGAD3_RAW = ServiceMethod.client(
      ServiceName.create("Classifier"), "GetClassification", GrpcMessageEncoder.IDENTITY,
      GrpcMessageDecoder.decoder(Classification.newBuilder()));
  private static final ServiceMethod<ClassifyResponse, Buffer> BATCH_RAW = ServiceMethod.client(
      DgaClassifierGrpcService.SERVICE_NAME, "ClassifyBatch", GrpcMessageEncoder.IDENTITY,
      GrpcMessageDecoder.decoder(ClassifyResponse.newBuilder()));
  private static final ServiceMethod<ClassifyResponse, Buffer> STREAM_RAW = ServiceMethod.client(
      DgaClassifierGrpcService.SERVICE_NAME, "ClassifyStream", GrpcMessageEncoder.IDENTITY,
      GrpcMessageDecoder.decoder(ClassifyResponse.newBuilder()));

  /** "goo\xffgle.com": 0xff is never part of UTF-8. */
  private static final byte[] NOT_UTF8 = {'g', 'o', 'o', (byte) 0xff, 'g', 'l', 'e', '.', 'c', 'o', 'm'};

  private static GrpcTestNode node;
  private static int dgad3Port;
  private static GrpcClient client;

  @BeforeAll
  static void deploy() throws Exception {
    dgad3Port = RedisServer.freePort();
    node = GrpcTestNode.start("utf8", conf -> conf.getJsonObject("grpc").put("dgad3Port", dgad3Port));
    client = GrpcClient.client(node.vertx);
  }

  @AfterAll
  static void close() {
    node.close();
  }

  /** A protobuf message with {@code values} in string field 1 (fqdn, or names), as raw bytes. */
  private static Buffer field1(byte[]... values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] v : values) {
      out.write(0x0a); // field 1, length-delimited
      int n = v.length;
      while (n >= 0x80) {
        out.write((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      out.write(n);
      out.writeBytes(v);
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSingleNameThatIsNotUtf8GetsInvalidArgument() {
    GrpcCalls.Call<Domain> d4 = GrpcCalls.call(client, node.port, DGAD4_RAW, List.of(field1(NOT_UTF8))).await();
    assertEquals(GrpcStatus.INVALID_ARGUMENT, d4.status(), d4.message());
    assertTrue(d4.message().contains("not UTF-8"), d4.message());
    GrpcCalls.Call<Classification> d3 = GrpcCalls.call(client, dgad3Port, DGAD3_RAW, List.of(field1(NOT_UTF8))).await();
    assertEquals(GrpcStatus.INVALID_ARGUMENT, d3.status(), d3.message());
    assertTrue(d3.message().contains("not UTF-8"), d3.message());

    // the same raw path with a good name still answers, with the name echoed as sent
    GrpcCalls.Call<Domain> ok = GrpcCalls.call(client, node.port, DGAD4_RAW, List.of(field1(text("Google.com")))).await();
    assertEquals(GrpcStatus.OK, ok.status(), ok.message());
    assertEquals("Google.com", ok.replies().get(0).getFqdn());
    assertEquals("google", ok.replies().get(0).getWords(0).getValue());
  }

  @Test
  void aBatchGetsAPerNameErrorForTheNameThatIsNotUtf8() {
    String dga = Names.randomDga(20, 11);
    GrpcCalls.Call<ClassifyResponse> b = GrpcCalls.call(client, node.port, BATCH_RAW,
        List.of(field1(text("google.com"), NOT_UTF8, text(dga), text("bücher.de")))).await();
    assertEquals(GrpcStatus.OK, b.status(), b.message());
    List<Result> rs = b.replies().get(0).getResultsList();
    assertEquals(4, rs.size());
    assertEquals("google.com", rs.get(0).getDomain());
    assertEquals("", rs.get(0).getError());
    assertTrue(rs.get(1).getError().contains("not UTF-8"), rs.get(1).getError());
    assertTrue(rs.get(1).getDomain().startsWith("goo"), rs.get(1).getDomain());
    assertTrue(rs.get(2).getIsDga());
    assertEquals("xn--bcher-kva.de", rs.get(3).getDomain());
  }

  @Test
  void aStreamGetsAPerNameErrorAndGoesOn() {
    GrpcCalls.Call<ClassifyResponse> s = GrpcCalls.call(client, node.port, STREAM_RAW,
        List.of(field1(NOT_UTF8, text("example.com")), field1(text("github.com")))).await();
    assertEquals(GrpcStatus.OK, s.status(), s.message());
    assertEquals(2, s.replies().size());
    assertTrue(s.replies().get(0).getResults(0).getError().contains("not UTF-8"));
    assertEquals("example.com", s.replies().get(0).getResults(1).getDomain());
    assertEquals("github.com", s.replies().get(1).getResults(0).getDomain());
  }

  /** A name of 3 MB in a batch (under grpc.maxMessageBytes, 4 MiB): its result holds a prefix of it. */
  @Test
  void aHugeInvalidNameIsAnsweredWithAPrefix() {
    String huge = "g".repeat(3 << 20) + ".com";
    GrpcClient big = GrpcClient.client(node.vertx, new GrpcClientOptions().setMaxMessageSize(8 << 20));
    GrpcCalls.Call<ClassifyResponse> b = GrpcCalls.call(big, node.port, BATCH_RAW,
        List.of(field1(text(huge), text("google.com")))).await();
    assertEquals(GrpcStatus.OK, b.status(), b.message());
    Result r = b.replies().get(0).getResults(0);
    assertTrue(r.getDomain().getBytes(StandardCharsets.UTF_8).length <= ShownName.WHOLE_UP_TO_BYTES,
        () -> "answered " + r.getDomain().length() + " chars");
    assertTrue(r.getDomain().startsWith("gggg") && r.getDomain().endsWith("…(" + huge.length() + " bytes)"));
    assertFalse(r.getError().isEmpty());
    assertEquals("google.com", b.replies().get(0).getResults(1).getDomain());

    GrpcCalls.Call<Domain> d4 = GrpcCalls.call(big, node.port, DGAD4_RAW, List.of(field1(text(huge)))).await();
    assertEquals(GrpcStatus.INVALID_ARGUMENT, d4.status());
    assertTrue(d4.message().length() < 300, d4.message());
  }

  @Test
  void aMessageThatIsNotProtobufGetsInvalidArgument() {
    Buffer truncated = Buffer.buffer(new byte[] {0x0a, 0x7f, 'a', 'b'}); // a field 127 bytes long, 2 sent
    GrpcCalls.Call<ClassifyResponse> b = GrpcCalls.call(client, node.port, BATCH_RAW, List.of(truncated)).await();
    assertEquals(GrpcStatus.INVALID_ARGUMENT, b.status(), b.message());
    GrpcCalls.Call<Domain> d4 = GrpcCalls.call(client, node.port, DGAD4_RAW, List.of(truncated)).await();
    assertEquals(GrpcStatus.INVALID_ARGUMENT, d4.status(), d4.message());
    assertFalse(d4.message().isEmpty());
  }
}
