package io.dgadmesh.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for servers a test starts later (Redis, Hazelcast members, node doors).
 *
 * <p>A port from {@code new ServerSocket(0)} comes from the kernel's ephemeral range, the same
 * range outbound connections take their local ports from. Between the pick and the server's
 * bind (a cluster test waits up to a minute for its first node) any outbound connection on the
 * machine may take it, and a Hazelcast member then fails with "Port ... is already in use".
 * These ports come from below that range, where no outbound connection lands, and a port is
 * never handed out twice in one JVM.
 */
public final class FreePorts {

  private static final int LOW = 15_000;
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  public static int next() throws IOException {
    int high = ephemeralLow();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, high);
      if (GIVEN.contains(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
        s.setReuseAddress(true);
      } catch (IOException inUse) {
        continue;
      }
      if (GIVEN.add(port)) {
        return port;
      }
    }
    throw new IOException("no free port in " + LOW + ".." + high + " after 1000 tries");
  }

  /** The kernel's first ephemeral port (Linux), or 32768 where it cannot be read. */
  static int ephemeralLow() {
    try {
      String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      int low = Integer.parseInt(range[0]);
      return low > LOW + 1_000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
