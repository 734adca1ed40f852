package io.dgadmesh.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.dgad4.ClassifierGrpcClient;
import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.grpc.dgad4.Word;
import io.dgadmesh.grpc.v1.ClassifyRequest;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcClient;
import io.dgadmesh.grpc.v1.Result;
import io.dgadmesh.testing.GrpcCalls;
import io.dgadmesh.testing.Names;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * dgad 4.x's words over TCP, through the client generated from proto/dgad4/dgad4.proto: one Word
 * per label, each scored on its own, while is_dga stays the registrable domain's verdict.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcDgad4WordsTest {

  /** Random letters: the model scores them DGA (a 20-letter .com of this kind is DGA in every door's test). */
  private static final String RANDOM = label(Names.randomDga(20, 7));
  private static final String OTHER_RANDOM = label(Names.randomDga(20, 11));

  private static GrpcTestNode node;
  private static ClassifierGrpcClient dgad4;
  private static DgaClassifierGrpcClient nativeApi;
  private static Path allowlist;

  @BeforeAll
  static void deploy() throws Exception {
    allowlist = Files.createTempFile("allow", ".txt");
    Files.writeString(allowlist, "ours.org\n");
    node = GrpcTestNode.start("words", conf -> conf.getJsonObject("classifier").put("allowlistPath", allowlist.toString()));
    GrpcClient client = GrpcClient.client(node.vertx);
    SocketAddress at = SocketAddress.inetSocketAddress(node.port, "127.0.0.1");
    dgad4 = ClassifierGrpcClient.create(client, at);
    nativeApi = DgaClassifierGrpcClient.create(client, at);
  }

  @AfterAll
  static void close() throws Exception {
    node.close();
    Files.deleteIfExists(allowlist);
  }

  private static String label(String name) {
    return name.substring(0, name.indexOf('.'));
  }

  private static Domain ask(String fqdn) {
    return dgad4.getClassification(Domain.newBuilder().setFqdn(fqdn).build()).await();
  }

  private static List<String> values(Domain d) {
    return d.getWordsList().stream().map(Word::getValue).toList();
  }

  private static float nativeScore(String name) {
    Result r = nativeApi.classifyBatch(ClassifyRequest.newBuilder().addNames(name).build()).await().getResults(0);
    assertEquals("", r.getError(), name);
    return r.getScore();
  }

  @Test
  void oneWordPerLabelRegistrableFirstAsDgadOrdersThem() {
    Domain d = ask("a.b.example.com");
    assertEquals("a.b.example.com", d.getFqdn());
    assertEquals(List.of("example", "a", "b"), values(d));
    assertFalse(d.getIsDga());
    assertEquals("N/A", d.getFamily());
    for (Word w : d.getWordsList()) {
      assertFalse(w.getBinaryLabel().isEmpty(), w.toString());
      assertTrue(w.getBinaryScore() >= 0f && w.getBinaryScore() <= 1f, w.toString());
      if (w.getBinaryLabel().equals("benign")) {
        assertEquals("N/A", w.getFamilyLabel(), "dgad names a family for a DGA word only: " + w);
        assertEquals(0f, w.getFamilyScore(), w.toString());
      }
    }
  }

  @Test
  void aLeadingWwwIsDroppedAndARepeatedLabelIsOneWord() {
    assertEquals(List.of("google", "mail"), values(ask("www.mail.google.com")));
    assertEquals(List.of("google"), values(ask("WWW.Google.com.")));
    assertEquals(List.of("google", "mail", "www"), values(ask("mail.www.google.com")));
    assertEquals(List.of("example", "a", "b"), values(ask("a.b.a.b.example.com")));
  }

  /** The name's verdict is its registrable domain's; a DGA-looking subdomain shows in its own word. */
  @Test
  void aRandomSubdomainUnderABenignDomainIsDgaInItsWordOnly() {
    Domain d = ask(RANDOM + ".google.com");
    assertFalse(d.getIsDga(), "is_dga is the registrable domain's verdict: " + d);
    assertEquals("N/A", d.getFamily());
    assertEquals(List.of("google", RANDOM), values(d));
    Word google = d.getWords(0);
    Word random = d.getWords(1);
    assertEquals("benign", google.getBinaryLabel());
    assertEquals("DGA", random.getBinaryLabel(), random.toString());
    assertTrue(random.getBinaryScore() > 0.9f && google.getBinaryScore() < 0.5f, d.toString());
    assertNotEquals("N/A", random.getFamilyLabel());
    assertTrue(random.getFamilyScore() > 0f, random.toString());
    // each word is what the native API says of its unit: the name itself, and the label under the name's suffix
    assertEquals(nativeScore(RANDOM + ".google.com"), google.getBinaryScore(), 1e-4f);
    assertEquals(nativeScore(RANDOM + ".com"), random.getBinaryScore(), 1e-4f);
  }

  @Test
  void aDgaRegistrableDomainWithABenignSubdomain() {
    Domain d = ask("mail." + RANDOM + ".co.uk");
    assertTrue(d.getIsDga(), d.toString());
    assertNotEquals("N/A", d.getFamily());
    assertEquals(List.of(RANDOM, "mail"), values(d));
    Word registrable = d.getWords(0);
    assertEquals("DGA", registrable.getBinaryLabel());
    assertEquals(d.getFamily(), registrable.getFamilyLabel(), "the name's family is its registrable word's");
    assertEquals("benign", d.getWords(1).getBinaryLabel());
    assertTrue(d.getWords(1).getBinaryScore() < registrable.getBinaryScore(), d.toString());
  }

  /** The allowlist covers the name and all under it: every word benign, the scores kept. */
  @Test
  void anAllowlistedNameHasOnlyBenignWords() {
    Domain d = ask(OTHER_RANDOM + ".ours.org");
    assertFalse(d.getIsDga());
    assertEquals(List.of("ours", OTHER_RANDOM), values(d));
    for (Word w : d.getWordsList()) {
      assertEquals("benign", w.getBinaryLabel(), w.toString());
      assertEquals("N/A", w.getFamilyLabel());
    }
    assertTrue(d.getWords(1).getBinaryScore() > 0.9f, "the model's score is kept: " + d);
  }

  @Test
  void anInvalidNameIsStillRefusedWithItsReason() {
    GrpcClient client = GrpcClient.client(node.vertx);
    for (String bad : List.of("a..example.com", "bad_name!.com", "1.2.3.4")) {
      GrpcCalls.Call<Domain> c = GrpcCalls.call(client, node.port, GrpcVerticleTest.DGAD4,
          List.of(Domain.newBuilder().setFqdn(bad).build())).await();
      assertEquals(GrpcStatus.INVALID_ARGUMENT, c.status(), bad);
      assertTrue(c.message().contains("invalid domain name '" + bad + "'"), c.message());
    }
  }

  /** A call's words go to the classifiers together: one event-bus request, one model batch, not one per word. */
  @Test
  void theWordsOfACallAreClassifiedInOneRequest() {
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger names = new AtomicInteger();
    Handler<DeliveryContext<Object>> count = ctx -> {
      if (ctx.message().address().equals(Bus.CLASSIFY)) {
        requests.incrementAndGet();
        names.addAndGet(((JsonObject) ctx.body()).getJsonArray(Bus.NAMES).size());
      }
      ctx.next();
    };
    node.vertx.eventBus().addOutboundInterceptor(count);
    try {
      JsonObject before = Bus.info(node.vertx.eventBus()).await();
      Domain d = ask("a.b.c.d.e.f.g.h.example.com");
      JsonObject after = Bus.info(node.vertx.eventBus()).await();
      assertEquals(9, d.getWordsCount());
      assertEquals(1, requests.get());
      assertEquals(9, names.get());
      assertEquals(1, after.getLong(Bus.BATCHES) - before.getLong(Bus.BATCHES));
      assertEquals(9, after.getLong(Bus.BATCHED_NAMES) - before.getLong(Bus.BATCHED_NAMES));
    } finally {
      node.vertx.eventBus().removeOutboundInterceptor(count);
    }
  }

  /**
   * The words are asked quietly: the dashboard's results (dgad.results) and the classified counts
   * show the name someone looked up, not the words nobody did.
   */
  @Test
  void onlyTheNameIsPublishedAndCountedNotItsWords() throws Exception {
    String name = "w1." + RANDOM + ".quiet-words.example.com";
    List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.vertx.core.eventbus.MessageConsumer<JsonObject> watch = node.vertx.eventBus().consumer(Bus.RESULTS_PUBLISH,
        m -> m.body().getJsonArray(Bus.RESULTS).forEach(r -> published.add(((JsonObject) r).getString("domain"))));
    watch.completion().await();
    double before = classifiedTotal();
    try {
      Domain d = ask(name);
      assertEquals(List.of("example", "w1", RANDOM, "quiet-words"), values(d));
      // A marker after the call: once its result is published, the call's results were too (one publisher per batch, in order).
      ask("marker-after-words.example.com");
      io.dgadmesh.testing.Poll.await(10_000, "the marker published", () -> published.contains("marker-after-words.example.com"));
      assertTrue(published.contains(name), published.toString());
      for (String word : List.of("w1.com", RANDOM + ".com", "quiet-words.com")) {
        assertFalse(published.contains(word), word + " was published: " + published);
      }
      assertEquals(2.0, classifiedTotal() - before, 0.0, "the name and the marker counted, not the words");
    } finally {
      watch.unregister().await();
    }
  }

  private static double classifiedTotal() {
    return io.dgadmesh.metrics.NodeMetrics.registry().find("dgad.classified.names").counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  /** The longest name: one word per distinct label, all in one answer. */
  @Test
  void aNameOfManyLabels() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 124; i++) {
      b.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(i % 36)).append('.');
    }
    Domain d = ask(b.append("e.com").toString());
    assertEquals(37, d.getWordsCount());
    assertEquals("e", d.getWords(0).getValue());
    assertEquals("9", d.getWords(36).getValue());
  }
}
