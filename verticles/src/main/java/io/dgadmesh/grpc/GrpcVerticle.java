package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.config.GrpcConf;
import io.dgadmesh.metrics.Readiness;
import io.dgadmesh.config.NodeSettings;
import io.dgadmesh.bus.BatchAggregator;
import io.dgadmesh.config.TlsConf;
import io.dgadmesh.model.SuffixList;
import io.dgadmesh.tls.CertificateReload;
import io.dgadmesh.tls.DoorTls;
import io.dgadmesh.grpc.v1.DgaClassifierGrpcService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.health.HealthService;
import io.vertx.grpc.reflection.ReflectionService;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The gRPC doors, on the Vert.x gRPC server. grpc.port (4714): dgad 4.x's Classifier plus the
 * native dgadmesh.v1.DgaClassifier. grpc.dgad3Port (50054, 0 = off): dgad 3.x's Classifier, which
 * has the same method path as 4.x and so needs its own port. Both ports carry health and
 * reflection. Deploy several instances to spread connections over event loops.
 *
 * <p>Single-name calls are coalesced per instance before the event bus (grpc.coalesceMs, 1 ms;
 * grpc.coalesceMax names; grpc.coalesceInFlight bus requests at once): one bus request then serves
 * many callers, so a call no longer pays a whole event-bus round trip of its own. The answers of
 * one batch then leave in one socket write per connection (grpc.consolidateFlushes, see
 * {@link OneFlushPerTurn}). A dgad 4.x call asks for its name and its words together
 * ({@link Dgad4Words}): one request to the coalescer still.
 *
 * <p>Limits: names are read leniently ({@link WireNames}); a call's names reach the classifiers in
 * {@link Parts} and stop when its client goes ({@link Call}); a stream reads ahead a little
 * ({@link NativeStream}); each port has an idle timeout and a cap on open connections
 * ({@link ConnectionCap}).
 *
 * <p>Security: with tls.certPath and tls.keyPath both ports speak TLS only, with client
 * certificates required when tls.clientCaPath is set ({@link DoorTls}); with grpc.token every
 * call but health needs {@code authorization: Bearer <token>} ({@link TokenGate}).
 */
public class GrpcVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(GrpcVerticle.class.getName());

  private final NodeSettings given;
  private CertificateReload reload;
  /** This instance watches the TLS files for its gRPC ports (one instance of those ports does). */
  private String watchClaim;
  /** The ports' key among the watchers: one per gRPC door, should a Vert.x run two. */
  private String watchKey;

  /** Deployed by class name: settings from the deployment config over the shipped defaults. */
  public GrpcVerticle() {
    this(null);
  }

  public GrpcVerticle(NodeSettings settings) {
    this.given = settings;
  }

  @Override
  public Future<?> start() {
    NodeSettings settings = NodeSettings.given(given, config(), vertx);
    // dgad 4.x's words are cut with the list the model reads; reading it (a file, or the bundled
    // list parsed on first use) blocks, so not on the event loop.
    String pslPath = settings.classifier().pslPath();
    return vertx.executeBlocking(() -> SuffixList.forSetting("classifier.pslPath", pslPath))
        .compose(suffixes -> CertificateReload.before(vertx, settings.tls(), "gRPC ports", "grpc").compose(r -> {
          reload = r;
          // The instances share each port's one listening server, so one of them is enough to
          // put a renewed certificate in place (CertificateReload); the others would repeat it.
          watchKey = settings.grpc().host() + ":" + settings.grpc().port();
          String claim = deploymentID() + "/" + System.identityHashCode(this);
          if (watchers().putIfAbsent(watchKey, claim) == null) {
            watchClaim = claim;
          }
          return startDoors(settings, suffixes);
        }));
  }

  @Override
  public Future<?> stop() {
    if (reload != null) {
      reload.stop();
    }
    if (watchClaim != null) {
      watchers().remove(watchKey, watchClaim);
    }
    return Future.succeededFuture();
  }

  private io.vertx.core.shareddata.LocalMap<String, String> watchers() {
    return vertx.sharedData().getLocalMap("dgad.grpc.tlsWatcher");
  }

  private Future<?> startDoors(NodeSettings settings, SuffixList suffixes) {
    GrpcConf conf = settings.grpc();
    String nodeId = settings.node().idOrDefault();
    String host = conf.host();
    int port = conf.port();
    int dgad3Port = conf.dgad3Port();

    // A service is SERVING while a classifier answers on the event bus. (Vert.x reports the server
    // itself, service name "", as SERVING regardless of this check.)
    // Not while a part of the node reports a problem (metrics/Readiness: a stuck classifier, a
    // stalled door, an exhausted Redis pool, the heap), as /health/ready.
    Supplier<Future<Boolean>> serving = () -> Readiness.of(vertx).problems().isEmpty()
        ? Bus.info(vertx.eventBus()).map(true).otherwise(false) : Future.succeededFuture(false);

    BatchAggregator<Bus.Asked, Bus.Result> coalescer = new BatchAggregator<>(vertx,
        asked -> Bus.classifyAsked(vertx.eventBus(), asked), conf.coalesceInFlight(),
        conf.coalesceMax(), conf.coalesceMs(), true);

    // Over this size Vert.x refuses a request message with RESOURCE_EXHAUSTED (its default is 256 KiB).
    // A call whose deadline (grpc-timeout) passes gets DEADLINE_EXCEEDED from Vert.x, and its work
    // not yet sent is dropped (Call).
    GrpcServerOptions options = new GrpcServerOptions().setMaxMessageSize(conf.maxMessageBytes())
        .setScheduleDeadlineAutomatically(true);
    HttpRequests http = new HttpRequests();
    GrpcServer main = GrpcServer.server(vertx, options);
    main.addService(Dgad4Service.create(coalescer::submit, conf.maxBatchNames(), suffixes));
    main.addService(new NativeService(vertx.eventBus(), nodeId, conf.maxBatchNames(), conf.maxPendingNames()).service(http));
    main.addService(HealthService.create(vertx)
        .register(io.dgadmesh.grpc.dgad4.ClassifierGrpcService.SERVICE_NAME, serving)
        .register(DgaClassifierGrpcService.SERVICE_NAME, serving));
    main.addService(ReflectionService.v1());
    List<Future<HttpServer>> listening = new ArrayList<>();
    listening.add(listen(main, http, port, conf, settings.tls(), options));

    if (dgad3Port > 0) {
      GrpcServer legacy = GrpcServer.server(vertx, options);
      legacy.addService(Dgad3Service.create(names -> coalescer.submit(Bus.Asked.loud(names))));
      legacy.addService(HealthService.create(vertx)
          .register(io.dgadmesh.grpc.dgad3.ClassifierGrpcService.SERVICE_NAME, serving));
      legacy.addService(ReflectionService.v1());
      listening.add(listen(legacy, http, dgad3Port, conf, settings.tls(), options));
    }
    return Future.all(listening).onSuccess(v -> LOG.fine(() -> "gRPC doors listening on " + host + ":" + port
        + (dgad3Port > 0 ? " and " + dgad3Port : "") + (settings.tls().enabled() ? " (TLS only)" : "")));
  }

  /**
   * One port: closed by Vert.x when the verticle is undeployed; several instances share it. A
   * connection with no traffic for grpc.idleTimeoutSeconds is closed (from its accept on, so one
   * that never speaks too), and at most grpc.maxConnections are open at once ({@link ConnectionCap}).
   * With a certificate (tls), TLS only ({@link DoorTls}); with grpc.token, every call but health
   * needs it ({@link TokenGate}).
   */
  private Future<HttpServer> listen(GrpcServer grpc, HttpRequests http, int port, GrpcConf conf, TlsConf tls,
                                    GrpcServerOptions grpcOptions) {
    HttpServerOptions options = DoorTls.grpc(tls, new HttpServerOptions().setHost(conf.host()).setPort(port));
    if (conf.idleTimeout()) {
      options.setIdleTimeout(conf.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
    }
    ConnectionCap cap = ConnectionCap.of(vertx, port, conf.maxConnections());
    boolean flushes = conf.consolidateFlushes();
    HttpServer server = vertx.createHttpServer(options).connectionHandler(connection -> {
      cap.onHttpConnection(connection);
      if (flushes) {
        OneFlushPerTurn.install(connection);
      }
    });
    return server.requestHandler(TokenGate.guard(vertx, conf.token(), grpcOptions, http.handlerFor(grpc)))
        .listen().compose(cap::install).onSuccess(s -> {
          if (watchClaim != null) {
            reload.watch(s, options.getSslOptions());
          }
        });
  }
}
