package io.dgadmesh.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;

/**
 * The direction of the node's packages, kept by the build rather than by memory:
 * {@code cli} (the command line, Main) -> {@code node} (deploys the roles) -> the doors and
 * services ({@code redis}, {@code grpc}, {@code web}, {@code jobs}, {@code cluster},
 * {@code classifier}) -> {@code bus} (the event-bus contract) -> {@code model}, {@code metrics},
 * {@code config}, {@code tls} (the TLS options of the doors and their clients). A package may
 * use what lies below it, never what lies above, and no two packages may use each other,
 * directly or around a loop.
 */
@AnalyzeClasses(packages = "io.dgadmesh", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDirectionTest {

  private static final String[] DOORS = {"io.dgadmesh.redis..", "io.dgadmesh.grpc..", "io.dgadmesh.web..",
      "io.dgadmesh.jobs..", "io.dgadmesh.cluster..", "io.dgadmesh.classifier..", "io.dgadmesh.hostwatch..",
      "io.dgadmesh.kafka.."};

  @ArchTest
  static final ArchRule noPackageCycles = slices().matching("io.dgadmesh.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule layersPointDown = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("Cli").definedBy("io.dgadmesh.cli..")
      .layer("Node").definedBy("io.dgadmesh.node..")
      .layer("Doors").definedBy(DOORS)
      .layer("Bus").definedBy("io.dgadmesh.bus..")
      .layer("Base").definedBy("io.dgadmesh.model..", "io.dgadmesh.metrics..", "io.dgadmesh.config..",
          "io.dgadmesh.ingest..", "io.dgadmesh.hosts..", "io.dgadmesh.tls..")
      .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
      .whereLayer("Node").mayOnlyBeAccessedByLayers("Cli")
      .whereLayer("Doors").mayOnlyBeAccessedByLayers("Cli", "Node", "Doors")
      .whereLayer("Bus").mayOnlyBeAccessedByLayers("Cli", "Node", "Doors")
      .whereLayer("Base").mayOnlyBeAccessedByLayers("Cli", "Node", "Doors", "Bus", "Base");

  /** The model is a library (the trainer uses it too): it knows nothing of the node. */
  @ArchTest
  static final ArchRule modelStandsAlone = noClasses().that().resideInAPackage("io.dgadmesh.model..")
      .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "com.hazelcast..", "io.grpc..",
          "io.dgadmesh.bus..", "io.dgadmesh.metrics..", "io.dgadmesh.config..");

  /** The classifier, gRPC and Redis doors speak to the others only over the bus. */
  @ArchTest
  static final ArchRule classifierAlone = onlyOverTheBus("classifier");

  @ArchTest
  static final ArchRule grpcAlone = onlyOverTheBus("grpc");

  @ArchTest
  static final ArchRule redisAlone = onlyOverTheBus("redis");

  /** The Kafka source hands records to the bus (IngestBus) and commits on its reply. */
  @ArchTest
  static final ArchRule kafkaAlone = onlyOverTheBus("kafka").allowEmptyShould(true);

  private static ArchRule onlyOverTheBus(String door) {
    String[] others = Arrays.stream(DOORS).filter(d -> !d.equals("io.dgadmesh." + door + "..")).toArray(String[]::new);
    return noClasses().that().resideInAPackage("io.dgadmesh." + door + "..")
        .should().dependOnClassesThat().resideInAnyPackage(others)
        .because("the " + door + " door meets the other doors on the event bus (io.dgadmesh.bus)");
  }

  /** Jobs are planned and run from Redis state; leadership (cluster) calls the planner, not the reverse. */
  @ArchTest
  static final ArchRule jobsBelowTheCluster = noClasses().that().resideInAPackage("io.dgadmesh.jobs..")
      .should().dependOnClassesThat().resideInAnyPackage("io.dgadmesh.cluster..", "io.dgadmesh.web..")
      .because("the leader (cluster) and the HTTP API (web) use jobs, not the other way round");

  /** One owner of the Redis contract: clients, keys and scripts are the store's alone. */
  @ArchTest
  static final ArchRule onlyTheStoreSpeaksRedis = noClasses().that().resideOutsideOfPackage("io.dgadmesh.redis..")
      .should().dependOnClassesThat().resideInAPackage("io.vertx.redis..")
      .because("io.dgadmesh.redis.RedisStore owns the Redis contract: ask it, do not send commands of your own");
}
