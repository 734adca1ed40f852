package io.dgadmesh.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's one count of what it did, and its Micrometer registry (one per JVM, Prometheus format, served by the web role at
 * {@code /metrics}) and the dgad meters. Prometheus names:
 *
 * <pre>
 * dgad_classified_names_total{label="dga|ok|invalid"}   names answered by this JVM's classifiers
 * dgad_dga_names_total{family}                       DGA verdicts per family (the model's fixed list)
 * dgad_classify_retries_total                        Redis-door classify requests retried (timeout, no classifier)
 * dgad_model_batch_size                              names per model call (histogram)
 * dgad_model_latency_seconds                         one model call (histogram)
 * dgad_redis_queue_depth                             SCARD of the todo set (sampled by the web role)
 * dgad_eventbus_request_seconds{address,outcome}     classify requests over the event bus (histogram)
 * dgad_ingest_kafka_malformed_total                  Kafka records skipped: no DNS record could be read from them
 * dgad_model_info{version}                           1 for each model version (ModelVersion.id()) a classifier
 *                                                    instance of this JVM serves now; dropped when none serves it
 * dgad_tls_certificate_expiry_seconds{door}          Unix time when the certificate in force on the web or gRPC
 *                                                    doors expires (with TLS only)
 * </pre>
 *
 * plus JVM memory, threads, CPU and uptime, and (when {@code bin/dgad up} created Vert.x with it)
 * Vert.x's own HTTP, event-bus and pool metrics ({@code vertx_*}). The registry entry that the
 * node publishes to the cluster (classified, dga, families, retries) reads these same meters, so
 * each verdict is counted once.
 *
 * <p>Every tag value comes from a fixed set, never from a client: each distinct value is a series
 * in every scrape and stays in the registry for good. {@code label} and {@code outcome} are
 * constants here, {@code family} the model's own list, {@code address} an event-bus address of the
 * node's configuration, and HTTP {@code method} one of the standard methods or "other" (see
 * {@link #vertxMetricsOptions}; a filter on the registry maps any other {@code method} tag too).
 */
public final class NodeMetrics {

  // Before the registry, whose filter reads them.
  /** The tag of an HTTP method. */
  private static final String METHOD = "method";
  /** HTTP methods that keep their name as a tag value; every other one is "other". */
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
      "TRACE", "PATCH");
  private static final PrometheusMeterRegistry REGISTRY = create();
  private static final AtomicLong QUEUE_DEPTH = new AtomicLong(-1);
  private static final Counter DGA = classified("dga");
  private static final Counter OK = classified("ok");
  private static final Counter INVALID = classified("invalid");
  private static final DistributionSummary BATCH = DistributionSummary.builder("dgad.model.batch.size")
      .description("names per model call")
      .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
      .register(REGISTRY);
  private static final Timer MODEL = Timer.builder("dgad.model.latency")
      .description("time of one model call (ONNX Runtime)")
      .serviceLevelObjectives(ms(0.1), ms(0.25), ms(0.5), ms(1), ms(2), ms(5), ms(10), ms(20), ms(50), ms(100),
          ms(200), ms(500), ms(1000), ms(2000))
      .register(REGISTRY);

  private static final Counter RETRIES = Counter.builder("dgad.classify.retries")
      .description("Redis-door classify requests that failed (reply timeout, no classifier) and were retried")
      .register(REGISTRY);
  /** Family tags come from the model's own family list, never from a client. */
  private static final Map<String, Counter> FAMILIES = new ConcurrentHashMap<>();

  private static final Counter ALLOWLISTED = Counter.builder("dgad.allowlisted")
      .description("names the allowlist covered: judged ok whatever their score")
      .register(REGISTRY);

  private static final Counter INGESTED = Counter.builder("dgad.ingest.records")
      .description("DNS records ingested into per-host evidence").register(REGISTRY);
  private static final Counter INGEST_SKIPPED = Counter.builder("dgad.ingest.skipped")
      .description("DNS records ingested without a client host (nothing to hold the evidence)").register(REGISTRY);
  private static final Counter HOST_ALERTS = Counter.builder("dgad.host.alerts")
      .description("hosts that turned infected").register(REGISTRY);
  private static final Counter WEBHOOK_DROPPED = Counter.builder("dgad.alerts.webhook.dropped")
      .description("alerts the webhook did not take (it failed, was slow, or too many were on their way)")
      .register(REGISTRY);

  private static final Counter ANSWERS_DROPPED = Counter.builder("dgad.grpc.answers.dropped")
      .description("gRPC answers that found their client gone (stream reset or connection closed)")
      .register(REGISTRY);

  /** Classifier instances per model version; a version's gauge exists while one serves it. */
  private static final Map<String, AtomicLong> MODELS = new ConcurrentHashMap<>();
  private static final Map<String, Gauge> MODEL_GAUGES = new ConcurrentHashMap<>();
  /** Per door ("web", "grpc": the node's own names): the expiry of the certificate in force. */
  private static final Map<String, AtomicLong> CERT_EXPIRY = new ConcurrentHashMap<>();

  private static final Counter KAFKA_MALFORMED = Counter.builder("dgad.ingest.kafka.malformed")
      .description("Kafka records (or lines in them) skipped by the Kafka source: not a DNS record it can read")
      .register(REGISTRY);

  static {
    Gauge.builder("dgad.redis.queue.depth", QUEUE_DEPTH, AtomicLong::get)
        .description("names waiting in the Redis todo set (-1 until sampled)")
        .register(REGISTRY);
  }

  private NodeMetrics() {}

  /**
   * Vert.x's own metrics (HTTP servers and clients, event bus, pools) into this registry. Their
   * HTTP method label would take any token a client sends as a method: each one a new series, and
   * each kept by Micrometer (by its id before any filter) for good. So Vert.x's label is off and
   * the method tag comes from {@link #methodTag}, from a fixed set. The other labels Vert.x sets by
   * default (status code, pool type and name, event-bus side) come from the node, not clients;
   * paths, routes, addresses and remote addresses stay off.
   */
  public static MicrometerMetricsOptions vertxMetricsOptions() {
    return new MicrometerMetricsOptions().setEnabled(true)
        .setLabels(EnumSet.of(Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME, Label.EB_SIDE))
        .setServerRequestTagsProvider(NodeMetrics::methodTag)
        .setClientRequestTagsProvider(NodeMetrics::methodTag);
  }

  /** An HTTP request's method as a tag: its name if standard, else "other". */
  public static Iterable<Tag> methodTag(HttpRequest request) {
    return Tags.of(METHOD, method(request.method().name()));
  }

  private static String method(String name) {
    return METHODS.contains(name) ? name : "other";
  }

  private static PrometheusMeterRegistry create() {
    VertxGaugeRegistrations.quiet();
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Before any meter: a filter applies to meters registered after it.
    r.config().meterFilter(MeterFilter.replaceTagValues(METHOD, NodeMetrics::method));
    new JvmMemoryMetrics().bindTo(r);
    new JvmThreadMetrics().bindTo(r);
    new ProcessorMetrics().bindTo(r);
    new UptimeMetrics().bindTo(r);
    return r;
  }

  private static Duration ms(double ms) {
    return Duration.ofNanos((long) (ms * 1_000_000));
  }

  private static Counter classified(String label) {
    return Counter.builder("dgad.classified.names").description("names answered by the classifiers")
        .tag("label", label).register(REGISTRY);
  }

  public static PrometheusMeterRegistry registry() {
    return REGISTRY;
  }

  public static void allowlisted(long n) {
    ALLOWLISTED.increment(n);
  }

  public static long allowlisted() {
    return (long) ALLOWLISTED.count();
  }

  public static void ingested(long records, long skipped) {
    INGESTED.increment(records);
    INGEST_SKIPPED.increment(skipped);
  }

  public static void hostAlert() {
    HOST_ALERTS.increment();
  }

  public static void alertWebhookDropped() {
    WEBHOOK_DROPPED.increment();
  }

  public static void kafkaMalformed(long n) {
    KAFKA_MALFORMED.increment(n);
  }

  public static long kafkaMalformed() {
    return (long) KAFKA_MALFORMED.count();
  }

  public static void answerDropped() {
    ANSWERS_DROPPED.increment();
  }

  public static long answersDropped() {
    return (long) ANSWERS_DROPPED.count();
  }

  public static void classified(long dga, long ok, long invalid) {
    DGA.increment(dga);
    OK.increment(ok);
    INVALID.increment(invalid);
  }

  /** One DGA verdict of {@code family} (a name of the model's family list). */
  public static void dgaFamily(String family) {
    FAMILIES.computeIfAbsent(family, f -> Counter.builder("dgad.dga.names")
        .description("DGA verdicts per family").tag("family", f).register(REGISTRY)).increment();
  }

  /** DGA verdicts per family so far. */
  public static Map<String, Long> families() {
    Map<String, Long> out = new TreeMap<>();
    FAMILIES.forEach((f, c) -> out.put(f, (long) c.count()));
    return out;
  }

  /** Names judged (DGA or not; invalid names excluded). */
  public static long judged() {
    return (long) (DGA.count() + OK.count());
  }

  public static long dga() {
    return (long) DGA.count();
  }

  public static void classifyRetried() {
    RETRIES.increment();
  }

  public static long classifyRetries() {
    return (long) RETRIES.count();
  }

  /** Thread-safe: called on the model's worker thread. */
  public static void modelCall(int batchSize, long nanos) {
    BATCH.record(batchSize);
    MODEL.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Model calls so far and the names they held: the bench reports batching from two of these. */
  public record ModelCalls(long calls, double names) {
    public ModelCalls since(ModelCalls before) {
      return new ModelCalls(calls - before.calls, names - before.names);
    }
  }

  /** Names answered by this JVM's classifiers so far (DGA, benign and invalid). */
  public static long classifiedNames() {
    return (long) (DGA.count() + OK.count() + INVALID.count());
  }

  public static ModelCalls modelCalls() {
    return new ModelCalls(BATCH.count(), BATCH.totalAmount());
  }

  /**
   * {@code delta} classifier instances (+1 or -1) serve {@code version} (a model this JVM loaded,
   * so the tag values stay as few as the versions loaded since start, and only those served now
   * are in the scrape). The count decides whether the version is in the scrape; the sample is 1,
   * as Prometheus has it for a name ending in _info.
   */
  public static synchronized void modelServed(String version, int delta) {
    AtomicLong n = MODELS.computeIfAbsent(version, v -> new AtomicLong());
    if (n.addAndGet(delta) > 0) {
      MODEL_GAUGES.computeIfAbsent(version, v -> Gauge.builder("dgad.model.info", n, AtomicLong::get)
          .description("a model version classifier instances serve now (an info metric: always 1)")
          .tag("version", v).register(REGISTRY));
    } else {
      MODELS.remove(version);
      Gauge g = MODEL_GAUGES.remove(version);
      if (g != null) {
        REGISTRY.remove(g);
      }
    }
  }

  /** Classifier instances per model version served now. */
  public static synchronized Map<String, Long> modelsServed() {
    Map<String, Long> out = new TreeMap<>();
    MODELS.forEach((v, n) -> out.put(v, n.get()));
    return out;
  }

  /**
   * When the certificate in force on {@code door} ("web" or "grpc") expires, in Unix seconds: an
   * alert can fire before a renewal is missed. Set at start and at each renewal (tls/CertificateReload).
   */
  public static void certificateExpiry(String door, long notAfterEpochSeconds) {
    CERT_EXPIRY.computeIfAbsent(door, d -> {
      AtomicLong v = new AtomicLong();
      Gauge.builder("dgad.tls.certificate.expiry", v, AtomicLong::get).tag("door", d).baseUnit("seconds")
          .description("when the TLS certificate in force on a door expires (Unix time)").register(REGISTRY);
      return v;
    }).set(notAfterEpochSeconds);
  }

  public static void queueDepth(long n) {
    QUEUE_DEPTH.set(n);
  }

  public static void busRequest(String address, long nanos, boolean ok) {
    Timer.builder("dgad.eventbus.request").description("event-bus classify requests")
        .tag("address", address).tag("outcome", ok ? "success" : "failure")
        .serviceLevelObjectives(ms(1), ms(2), ms(5), ms(10), ms(20), ms(50), ms(100), ms(200), ms(500),
            ms(1000), ms(5000), ms(30000))
        .register(REGISTRY).record(nanos, TimeUnit.NANOSECONDS);
  }
}
