package io.dgadmesh.cli;




import io.dgadmesh.node.MeshNode;
import io.dgadmesh.config.NodeConfig;
import io.dgadmesh.node.MeshNode;
import io.dgadmesh.node.PrivateRedis;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Entry point of bin/dgad: up, node, job, classify, bench. */
public final class Main {

  static final String USAGE = """
      usage: dgad <command> [options]
        up        [--conf FILE] [--classifiers N]      run one node with every configured role, no peers
        node      [--roles worker,classifier,grpc,web] [--cluster-host H] [--cluster-port P]
                  [--members H:P,...] [--name NAME] [--classifiers N] [--conf FILE]
                                                       run a clustered node (Hazelcast, TCP-IP join)
        job       submit FILE|- [--remote H:P] [--wait] | status ID [--remote H:P] [--wait]
                  | results ID [--format jsonl|csv] [--remote H:P] | list [--remote H:P]
        classify  [-d NAME]... [-f FILE|-] [--format jsonl|csv|txt] [--remote HOST:PORT] [--conf FILE]
        bench     [--conf FILE] [--names N] [--parts model,redis,ceiling,grpc] [--seconds S] [--warmup S]
                  [--remote HOST:PORT] [--out FILE]    measure this machine, write bench/RESULTS.md
      environment: REDIS_HOST REDIS_PORT REDIS_SET REDIS_PASSWORD REDIS_DB LISTENING_PORT LOG_LEVEL
                   DGAD_ROLES DGAD_NODE_NAME DGAD_CLUSTER_HOST DGAD_CLUSTER_PORT DGAD_MEMBERS DGAD_WEB_PORT DGAD_WEB_TOKEN
      """;

  private Main() {}

  /** The options each command reads, besides --conf and --classifiers (read here for all). */
  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "up", Set.of(),
      "node", Set.of("--roles", "--cluster-host", "--cluster-port", "--members", "--name"),
      "job", Set.of("--remote", "--wait", "--format"),
      "classify", Set.of("-d", "--domain", "-f", "--file", "--format", "--remote"),
      "bench", Set.of("--names", "--parts", "--seconds", "--warmup", "--remote", "--out"));
  private static final Set<String> EVERY_COMMAND = Set.of("--conf", "--classifiers");

  /** A mistyped option (bench --second 5) is an error, not silently a default. */
  static void checkOptions(String cmd, Args args) {
    Set<String> own = OPTIONS.get(cmd);
    if (own == null) {
      return; // unknown command: reported with the usage
    }
    Set<String> known = new HashSet<>(own);
    known.addAll(EVERY_COMMAND);
    args.unknownOption(known).ifPresent(o -> {
      throw new IllegalArgumentException("unknown option '" + o + "' for '" + cmd + "' (see dgad help)");
    });
  }

  /** A command that runs once the configuration is loaded; its exit code ends the process. */
  public interface Command {
    int run(Args args, JsonObject conf) throws Exception;
  }

  public static void main(String[] argv) {
    if (argv.length == 0 || List.of("-h", "--help", "help").contains(argv[0])) {
      System.out.print(USAGE);
      return;
    }
    run(argv, null);
  }

  /**
   * Runs {@code argv[0]} with the configuration loaded; {@code extra}, when given, runs that
   * command instead of the built-in ones (the bench module's entry point passes its own).
   */
  public static void run(String[] argv, Command extra) {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    String cmd = argv[0];
    Args args = new Args(Arrays.copyOfRange(argv, 1, argv.length));
    if (args.flag("--help") || args.flag("-h")) {
      // "dgad bench --help" must not start a five-minute bench that rewrites bench/RESULTS.md.
      System.out.print(USAGE);
      return;
    }
    try {
      checkOptions(cmd, args);
      JsonObject conf = NodeConfig.load(args.value("--conf").map(Path::of).orElse(null), System.getenv());
      args.value("--classifiers").ifPresent(n -> {
        try {
          conf.getJsonObject("node").put("classifiers", Integer.parseInt(n));
        } catch (NumberFormatException e) {
          throw new NodeConfig.ConfigException("node.classifiers (from --classifiers)", "must be an integer, got '" + n + "'");
        }
        NodeConfig.validate(conf);
      });
      if (cmd.equals("node")) {
        nodeOptions(args, conf);
      }
      setLogLevel(conf.getJsonObject("log").getString("level"));
      int code = extra != null ? extra.run(args, conf) : switch (cmd) {
        case "up" -> up(conf);
        case "node" -> node(conf);
        case "job" -> new JobCommand(args, conf).run();
        case "classify" -> new ClassifyCommand(args, conf).run();
        case "bench" -> {
          System.err.println("dgad: bench lives in the bench module; run it with bin/dgad bench");
          yield 2;
        }
        default -> {
          System.err.print("dgad: unknown command '" + cmd + "'\n" + USAGE);
          yield 2;
        }
      };
      if (code != 0 || !(cmd.equals("up") || cmd.equals("node"))) {
        System.exit(code);
      }
    } catch (NodeConfig.ConfigException e) {
      System.err.println("dgad: invalid configuration: " + e.getMessage());
      System.exit(2);
    } catch (IllegalArgumentException e) {
      System.err.println("dgad: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("dgad: " + describe(e));
      System.exit(1);
    }
  }

  /**
   * A top-level error in words. The message of NoSuchFileException and AccessDeniedException is
   * only the path ("dgad: /missing.txt"), so a file error says what happened to which file; wrapped too.
   */
  static String describe(Throwable e) {
    Throwable t = e;
    while ((t instanceof UncheckedIOException || t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof FileSystemException f && f.getFile() != null) {
      return NodeConfig.reason(f) + ": " + f.getFile();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** Command-line options of {@code node} over the configuration; validated again. */
  static void nodeOptions(Args args, JsonObject conf) {
    JsonObject node = conf.getJsonObject("node");
    JsonObject cluster = conf.getJsonObject("cluster");
    args.value("--roles").ifPresent(r -> {
      io.vertx.core.json.JsonArray roles = new io.vertx.core.json.JsonArray();
      for (String part : r.split(",")) {
        if (!part.isBlank()) {
          roles.add(part.trim());
        }
      }
      node.put("roles", roles);
    });
    args.value("--name").ifPresent(n -> node.put("name", n));
    args.value("--cluster-host").ifPresent(h -> cluster.put("host", h));
    args.value("--cluster-port").ifPresent(p -> {
      try {
        cluster.put("port", Integer.parseInt(p));
      } catch (NumberFormatException e) {
        throw new NodeConfig.ConfigException("cluster.port (from --cluster-port)", "must be an integer, got '" + p + "'");
      }
    });
    args.value("--members").ifPresent(m -> cluster.put("members", m));
    cluster.put("enabled", true);
    NodeConfig.validate(conf);
  }

  /** A clustered node; restarts itself in-process after being cut off. Runs until killed. */
  static int node(JsonObject conf) throws Exception {
    MeshNode node = new MeshNode(conf);
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "dgad-node-stop"));
    node.start();
    JsonObject c = conf.getJsonObject("cluster");
    System.out.println("dgad node " + conf.getJsonObject("node").getString("id") + " is up in cluster '"
        + c.getString("name") + "' (roles " + NodeConfig.roles(conf) + ", hazelcast "
        + (c.getString("host").isEmpty() ? "*" : c.getString("host")) + ":" + c.getInteger("port")
        + (c.getString("members").isEmpty() ? "" : ", members " + c.getString("members")) + ")");
    if (NodeConfig.roles(conf).contains("web")) {
      System.out.println("  web          http://0.0.0.0:" + conf.getJsonObject("web").getInteger("port") + "/api/cluster");
    }
    System.out.flush();
    node.done().whenComplete((v, err) -> {
      if (err != null) {
        System.exit(1);
      }
    });
    return 0;
  }

  static void setLogLevel(String level) {
    String l = level.toUpperCase(Locale.ROOT);
    Level jul = switch (l) {
      case "TRACE" -> Level.FINEST;
      case "DEBUG" -> Level.FINE;
      case "WARN", "WARNING" -> Level.WARNING;
      case "ERROR" -> Level.SEVERE;
      case "OFF" -> Level.OFF;
      default -> Level.INFO;
    };
    Logger root = LogManager.getLogManager().getLogger("");
    root.setLevel(jul);
    for (var h : root.getHandlers()) {
      h.setLevel(jul);
    }
  }

  /** One node with every configured role; a private Redis if none answers. Runs until killed. */
  static int up(JsonObject conf) throws Exception {
    JsonObject redis = conf.getJsonObject("redis");
    List<String> roles = io.dgadmesh.config.NodeConfig.roles(conf);
    String redisWhere = null;
    if (roles.contains("worker") || roles.contains("web")) {
      String host = redis.getString("host");
      int port = redis.getInteger("port");
      if (PrivateRedis.answers(host, port)) {
        redisWhere = host + ":" + port + " (existing)";
      } else {
        PrivateRedis r = PrivateRedis.start(); // stopped by its shutdown hook
        redis.put("host", "127.0.0.1").put("port", r.port()).put("password", "");
        redisWhere = "127.0.0.1:" + r.port() + " (private redis-server, stopped on exit; nothing answered at "
            + host + ":" + port + ")";
      }
    }
    conf.getJsonObject("cluster").put("enabled", false);
    MeshNode node = new MeshNode(conf);
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "dgad-vertx-stop"));
    node.start();
    banner(conf, redisWhere).forEach(System.out::println);
    System.out.flush();
    return 0;
  }

  /** What {@code up} prints once the node runs: where each door listens. */
  static List<String> banner(JsonObject conf, String redisWhere) {
    List<String> lines = new ArrayList<>();
    List<String> roles = NodeConfig.roles(conf);
    JsonObject redis = conf.getJsonObject("redis");
    JsonObject g = conf.getJsonObject("grpc");
    JsonObject node = conf.getJsonObject("node");
    // Only what this node runs: no classifier count without classifiers, no door that is not deployed.
    lines.add("dgad node " + node.getString("id") + " is up (" + (roles.contains("classifier")
        ? node.getInteger("classifiers") + " classifiers" : "roles: " + String.join(", ", roles)) + ")");
    if (redisWhere != null && roles.contains("worker")) {
      lines.add("  redis door   " + redisWhere + ", set '" + redis.getString("set") + "'  e.g. redis-cli -p "
          + redis.getInteger("port") + " SADD " + redis.getString("set") + " google.com");
    } else if (redisWhere != null) {
      lines.add("  redis        " + redisWhere + "  read by the dashboard (results, queue depth)");
    }
    if (roles.contains("grpc")) {
      lines.add("  gRPC         " + g.getString("host") + ":" + g.getInteger("port")
          + "  dgad 4.x Classifier + dgadmesh.v1.DgaClassifier + health + reflection");
      if (g.getInteger("dgad3Port") > 0) {
        lines.add("  gRPC (3.x)   " + g.getString("host") + ":" + g.getInteger("dgad3Port")
            + "  dgad 3.x Classifier + health + reflection");
      }
    }
    if (roles.contains("web")) {
      JsonObject w = conf.getJsonObject("web");
      String h = w.getString("host");
      String shown = h.equals("0.0.0.0") || h.equals("::") ? "localhost" : h;
      lines.add("  dashboard    http://" + shown + ":" + w.getInteger("port") + "/   HTTP API under /api, "
          + "/health/live, /health/ready, /metrics" + (w.getString("token").isEmpty() ? "" : " (token required)"));
    }
    return lines;
  }
}
