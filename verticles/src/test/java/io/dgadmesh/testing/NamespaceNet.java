package io.dgadmesh.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A private network of hosts for fault tests, made of Linux network namespaces: each host is a
 * namespace with one address in 10.213.0.0/24 on a veth pair whose other end is a port of a bridge,
 * and the bridge lives in a namespace of its own. Nothing is made in the machine's own network
 * namespace (no interface, address or route), so the addresses cannot clash with the machine's.
 *
 * <p>Faults: {@link #unplug} takes a host's port off the bridge (the host keeps its link up and
 * its address, like a host behind a cut cable or a failed switch port: packets vanish, nothing is
 * refused) and {@link #plug} puts it back; {@link #impair} sends the traffic between two hosts
 * through a slow, lossy wire.
 *
 * <p>Needs root and iproute2 ({@code ip}); {@link #unavailable()} says why a machine cannot. Every
 * namespace is named {@code dgadnet-<pid>-<random>-<host>}. {@link #close()} ends the processes
 * this class started and deletes every namespace it made (with them their veths, the bridge and the
 * wire's tunnels); a JVM shutdown hook does the same if a test never gets to close it.
 */
public final class NamespaceNet implements AutoCloseable {

  /** One host: its namespace and address. {@link #exec()} runs a command inside it. */
  public record Host(String name, String namespace, String ip, String port) {
    /** The prefix that runs a command in this host's namespace. */
    public List<String> exec() {
      return List.of("ip", "netns", "exec", namespace);
    }
  }

  private static final String SUBNET = "10.213.0.";
  private static final String NAME_PREFIX = "dgadnet-";
  /** The UDP port of the VXLAN tunnels to the wire. */
  private static final int WIRE_PORT = 4789;
  private static final int VXLAN_ID = 213;
  /** The TCP port of {@link #handshakeMs}'s listener. */
  private static final int HANDSHAKE_PORT = 4790;
  private static final long COMMAND_TIMEOUT_MS = 20_000;

  private final String prefix;
  private final String bridgeNs;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final Thread hook = new Thread(this::deleteAll, "namespace-net-cleanup");
  private boolean closed;

  private NamespaceNet() {
    prefix = NAME_PREFIX + ProcessHandle.current().pid() + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000)) + "-";
    bridgeNs = prefix + "br";
  }

  /**
   * Why this machine cannot make such a network (no {@code ip}, not root, namespaces, veths or
   * bridges not allowed), or empty if it can: tried for real, on a namespace deleted at once.
   */
  public static Optional<String> unavailable() {
    return probe(List.of(List.of("link", "add", "b0", "type", "bridge"),
        List.of("link", "add", "v0", "type", "veth", "peer", "name", "v1"),
        List.of("link", "set", "v0", "master", "b0")))
        .map(why -> "cannot make network namespaces here (root and iproute2 needed): " + why);
  }

  /** Why {@link #impair} cannot work here (no VXLAN in the kernel), or empty if it can. */
  public static Optional<String> impairmentUnavailable() {
    return probe(List.of(List.of("link", "add", "vx0", "type", "vxlan", "id", "1", "dstport",
        Integer.toString(WIRE_PORT)))).map(why -> "cannot make VXLAN tunnels here: " + why);
  }

  private static Optional<String> probe(List<List<String>> steps) {
    String ns = NAME_PREFIX + ProcessHandle.current().pid() + "-probe";
    try {
      run(List.of("ip", "netns", "add", ns));
      try {
        for (List<String> step : steps) {
          List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
          cmd.addAll(step);
          run(cmd);
        }
      } finally {
        run(List.of("ip", "netns", "delete", ns));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Makes the bridge and one host per name, addresses 10.213.0.1, .2, ... in order. */
  public static NamespaceNet create(String... names) throws IOException {
    NamespaceNet net = new NamespaceNet();
    Runtime.getRuntime().addShutdownHook(net.hook);
    try {
      net.addNamespace(net.bridgeNs);
      ip(net.bridgeNs, "link", "add", "br0", "type", "bridge");
      ip(net.bridgeNs, "link", "set", "br0", "up");
      for (String n : names) {
        net.addHost(n);
      }
      return net;
    } catch (IOException | RuntimeException e) {
      net.close();
      throw e;
    }
  }

  /** One more host on the bridge, with the next address. */
  public synchronized Host addHost(String name) throws IOException {
    if (hosts.containsKey(name) || !name.matches("[a-z0-9]{1,8}")) {
      throw new IllegalArgumentException("host name '" + name + "': taken, or not 1-8 of [a-z0-9]");
    }
    int index = hosts.size() + 1;
    Host h = new Host(name, prefix + name, SUBNET + index, "p" + index);
    addNamespace(h.namespace());
    // Both ends are made in the bridge's namespace and one is moved: no interface ever exists
    // in the machine's own namespace, not even for a moment.
    ip(bridgeNs, "link", "add", h.port(), "type", "veth", "peer", "name", "eth0", "netns", h.namespace());
    ip(bridgeNs, "link", "set", h.port(), "master", "br0", "up");
    ip(h.namespace(), "link", "set", "lo", "up");
    ip(h.namespace(), "addr", "add", h.ip() + "/24", "dev", "eth0");
    ip(h.namespace(), "link", "set", "eth0", "up");
    hosts.put(name, h);
    return h;
  }

  public synchronized Host host(String name) {
    Host h = hosts.get(name);
    if (h == null) {
      throw new IllegalArgumentException("no host " + name);
    }
    return h;
  }

  /** Takes the host's port off the bridge: it can reach no one and no one reaches it. */
  public void unplug(Host h) throws IOException {
    ip(bridgeNs, "link", "set", h.port(), "nomaster");
  }

  /** Puts the host's port back on the bridge. */
  public void plug(Host h) throws IOException {
    ip(bridgeNs, "link", "set", h.port(), "master", "br0");
  }

  /**
   * From now on the packets between {@code x} and {@code y} (both ways, nobody else's) go through
   * a wire that drops {@code lossPercent} of them at random ({@code seed}) and delivers the rest
   * {@code delayMs} late. Not netem (which many kernels, this CI's among them, are built without):
   * each of the two hosts gets a VXLAN tunnel to a relay ({@link LossyWire}) on a host of its own and
   * a route to the other through it. Closing the impairment deletes the tunnels (and so the routes):
   * the traffic takes the bridge again.
   */
  public Impairment impair(Host x, Host y, int lossPercent, int delayMs, long seed) throws IOException {
    Host wire = hosts.containsKey("wire") ? host("wire") : addHost("wire");
    List<String> cmd = new ArrayList<>(wire.exec());
    cmd.addAll(java(LossyWire.class));
    cmd.addAll(List.of(wire.ip(), Integer.toString(WIRE_PORT), x.ip(), y.ip(), Integer.toString(lossPercent),
        Integer.toString(delayMs), Long.toString(seed)));
    // Waits for the relay's "ready" line: its socket is bound, so no packet of the tunnels is lost to a race.
    Impairment imp = new Impairment(x, y, ReadyProcess.start(cmd, this::own));
    try {
      imp.tunnel(x, y, wire);
      imp.tunnel(y, x, wire);
      return imp;
    } catch (IOException | RuntimeException e) {
      imp.close();
      throw e;
    }
  }

  /**
   * How many ms a TCP handshake from {@code from} to {@code to} takes, on whatever path the packets
   * between them take now: a listener of its own is started on {@code to} for it (port
   * {@value #HANDSHAKE_PORT}), so the answer does not depend on what else runs there. Tries again
   * while a try fails (a lossy path can lose every SYN of one), up to {@code timeoutMs}.
   */
  public long handshakeMs(Host from, Host to, long timeoutMs) throws IOException {
    List<String> listen = new ArrayList<>(to.exec());
    listen.addAll(java(Handshake.class));
    listen.addAll(List.of("listen", to.ip(), Integer.toString(HANDSHAKE_PORT)));
    List<String> connect = new ArrayList<>(from.exec());
    connect.addAll(java(Handshake.class));
    connect.addAll(List.of("connect", to.ip(), Integer.toString(HANDSHAKE_PORT), "15000"));
    try (ReadyProcess listener = ReadyProcess.start(listen, this::own)) {
      long deadline = System.nanoTime() + timeoutMs * 1_000_000;
      while (true) {
        try {
          return Long.parseLong(run(connect).trim());
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            throw new IOException("no TCP handshake " + from.name() + " -> " + to.name() + " in " + timeoutMs
                + " ms; last try: " + e.getMessage());
          }
        }
      }
    }
  }

  private synchronized void own(Process p) {
    processes.add(p);
  }

  /** The command that runs a main class of these test classes in a small JVM. */
  private static List<String> java(Class<?> main) {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m",
        "-XX:+UseSerialGC", "-cp", classDir(), main.getName());
  }

  /** A slow, lossy path between two hosts; {@link #close()} heals it. */
  public final class Impairment implements AutoCloseable {
    private final Host x;
    private final Host y;
    private final ReadyProcess relay;
    private boolean healed;

    private Impairment(Host x, Host y, ReadyProcess relay) {
      this.x = x;
      this.y = y;
      this.relay = relay;
    }

    /** A tunnel from {@code from} to the wire, and from's route to {@code to} through it. */
    private void tunnel(Host from, Host to, Host wire) throws IOException {
      // Fixed MACs and permanent neighbours: no ARP has to cross the lossy wire before the first packet.
      ip(from.namespace(), "link", "add", "vx0", "address", mac(from), "type", "vxlan", "id",
          Integer.toString(VXLAN_ID), "remote", wire.ip(), "dstport", Integer.toString(WIRE_PORT), "nolearning",
          "dev", "eth0");
      ip(from.namespace(), "link", "set", "vx0", "up");
      ip(from.namespace(), "neigh", "add", to.ip(), "lladdr", mac(to), "dev", "vx0", "nud", "permanent");
      ip(from.namespace(), "route", "add", to.ip() + "/32", "dev", "vx0");
    }

    private static String mac(Host h) {
      String[] o = h.ip().split("\\.");
      return String.format("02:00:%02x:%02x:%02x:%02x", Integer.parseInt(o[0]), Integer.parseInt(o[1]),
          Integer.parseInt(o[2]), Integer.parseInt(o[3]));
    }

    /** What the relay printed (its counts of packets carried and dropped when it ends). */
    public String output() {
      return relay.output();
    }

    /** Deletes the tunnels (their routes go with them) and stops the relay. */
    @Override
    public void close() throws IOException {
      if (healed) {
        return;
      }
      healed = true;
      IOException first = null;
      for (Host h : List.of(x, y)) {
        try {
          if (run(List.of("ip", "-n", h.namespace(), "-o", "link", "show")).contains(" vx0:")) {
            ip(h.namespace(), "link", "delete", "vx0");
          }
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      // Closing its stdin tells the relay to print its counts and exit.
      relay.close();
      if (first != null) {
        throw first;
      }
    }
  }

  private static String classDir() {
    try {
      return Path.of(LossyWire.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private void addNamespace(String ns) throws IOException {
    run(List.of("ip", "netns", "add", ns));
    synchronized (this) {
      namespaces.add(ns);
    }
  }

  private static void ip(String ns, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
    cmd.addAll(List.of(args));
    run(cmd);
  }

  /** Runs a command to its end; its output, or an IOException with the output if it failed. */
  public static String run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
        try {
          return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          return "";
        }
      });
      if (!p.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": no end after " + COMMAND_TIMEOUT_MS + " ms");
      }
      String text = out.get(5, TimeUnit.SECONDS);
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text.trim());
      }
      return text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", cmd), e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException(String.join(" ", cmd) + ": output not read", e);
    }
  }

  /** The namespaces made so far (the bridge's first). */
  public synchronized List<String> namespaces() {
    return List.copyOf(namespaces);
  }

  /** Ends the relays and deletes every namespace made (which deletes their veths, tunnels and bridge). */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    deleteAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs (or ran) anyway
    }
  }

  private void deleteAll() {
    List<Process> ps;
    List<String> ns;
    synchronized (this) {
      ps = List.copyOf(processes);
      ns = List.copyOf(namespaces);
      namespaces.clear();
    }
    // Whatever still runs in these namespaces was started there by this test (nodes, Redis, the
    // wire): ended by pid, or the namespaces would outlive their names.
    List<ProcessHandle> inside = new ArrayList<>();
    ps.forEach(p -> inside.add(p.toHandle()));
    for (String n : ns) {
      try {
        for (String pid : run(List.of("ip", "netns", "pids", n)).split("\\s+")) {
          if (!pid.isBlank()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(inside::add);
          }
        }
      } catch (IOException | NumberFormatException e) {
        System.err.println("namespace-net: " + e.getMessage());
      }
    }
    inside.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : inside) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("namespace-net: process " + p.pid() + " did not end: " + e);
      }
    }
    // Hosts first, the bridge last: each host's veth goes with its namespace.
    for (int i = ns.size() - 1; i >= 0; i--) {
      try {
        run(List.of("ip", "netns", "delete", ns.get(i)));
      } catch (IOException e) {
        System.err.println("namespace-net: " + e.getMessage());
      }
    }
  }
}
