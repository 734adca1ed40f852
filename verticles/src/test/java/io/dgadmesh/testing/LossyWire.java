package io.dgadmesh.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A slow, lossy wire between two hosts, run as its own process in a network namespace of
 * {@link NamespaceNet}: each host sends its packets for the other through a VXLAN tunnel to this
 * relay, which drops a given share of them at random and delivers the rest a given time late, to
 * the other host's tunnel. What netem's {@code loss 30% delay 200ms} does, for kernels without it.
 *
 * <p>Args: bind address, UDP port, host x, host y, loss percent, delay ms, random seed. Prints
 * "ready" once bound; exits when its standard input closes (the test, or the test JVM, ended),
 * printing how many packets it carried and dropped.
 */
public final class LossyWire {

  /** Packets on the wire at once; beyond it the wire drops, as a full router queue would. */
  private static final int MAX_IN_FLIGHT = 20_000;
  private static final int VXLAN_HEADER = 8;

  private LossyWire() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 7) {
      System.err.println("usage: LossyWire BIND PORT HOST_X HOST_Y LOSS_PERCENT DELAY_MS SEED");
      System.exit(2);
    }
    int port = Integer.parseInt(args[1]);
    InetAddress x = InetAddress.getByName(args[2]);
    InetAddress y = InetAddress.getByName(args[3]);
    int lossPercent = Integer.parseInt(args[4]);
    long delayMs = Long.parseLong(args[5]);
    Random random = new Random(Long.parseLong(args[6]));
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(args[0]), port));
    socket.setReceiveBufferSize(4 << 20);
    ScheduledExecutorService out = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "wire-out");
      t.setDaemon(true);
      return t;
    });
    AtomicInteger inFlight = new AtomicInteger();
    AtomicLong carried = new AtomicLong();
    AtomicLong dropped = new AtomicLong();
    Thread in = new Thread(() -> {
      byte[] buf = new byte[65_536];
      while (!socket.isClosed()) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
        } catch (IOException closed) {
          return;
        }
        InetAddress from = p.getAddress();
        InetAddress to = from.equals(x) ? y : from.equals(y) ? x : null;
        if (to == null || random.nextInt(100) < lossPercent || inFlight.get() >= MAX_IN_FLIGHT) {
          dropped.incrementAndGet();
          continue;
        }
        byte[] frame = Arrays.copyOf(buf, p.getLength());
        InnerChecksums.fix(frame, VXLAN_HEADER);
        inFlight.incrementAndGet();
        InetSocketAddress dest = new InetSocketAddress(to, port);
        out.schedule(() -> {
          inFlight.decrementAndGet();
          try {
            socket.send(new DatagramPacket(frame, frame.length, dest));
            carried.incrementAndGet();
          } catch (IOException e) {
            dropped.incrementAndGet();
          }
        }, delayMs, TimeUnit.MILLISECONDS);
      }
    }, "wire-in");
    in.setDaemon(true);
    in.start();
    System.out.println("ready " + args[0] + ":" + port + " " + x.getHostAddress() + " <-> " + y.getHostAddress()
        + " loss " + lossPercent + "% delay " + delayMs + " ms");
    System.out.flush();
    while (System.in.read() >= 0) {
      // nothing is sent on stdin: it only tells when the test is gone
    }
    socket.close();
    out.shutdownNow();
    System.out.println("carried " + carried.get() + " packets, dropped " + dropped.get());
    System.out.flush();
  }

  /**
   * The TCP and UDP checksums of an IPv4 packet inside an Ethernet frame, computed again. Needed
   * because Linux leaves them to be finished by the network card (checksum offload) and a veth never
   * finishes them: a frame read by a program off a tunnel carries an unfinished checksum, which
   * the receiving host, getting the frame from the network, rejects.
   */
  static final class InnerChecksums {
    private static final int ETHERNET = 14;
    private static final int IPV4 = 0x0800;
    private static final int TCP = 6;
    private static final int UDP = 17;

    private InnerChecksums() {}

    static void fix(byte[] f, int at) {
      int ip = at + ETHERNET;
      if (f.length < ip + 20 || u16(f, at + 12) != IPV4 || (f[ip] >> 4) != 4) {
        return;
      }
      int headerLen = (f[ip] & 0x0f) * 4;
      int total = u16(f, ip + 2);
      boolean fragment = (u16(f, ip + 6) & 0x3fff) != 0; // more-fragments flag or an offset
      int proto = f[ip + 9] & 0xff;
      if (fragment || total < headerLen || ip + total > f.length || (proto != TCP && proto != UDP)) {
        return;
      }
      int l4 = ip + headerLen;
      int len = total - headerLen;
      int field = l4 + (proto == TCP ? 16 : 6);
      if (field + 2 > ip + total || (proto == UDP && u16(f, field) == 0)) {
        return; // too short, or a UDP packet sent without a checksum
      }
      f[field] = 0;
      f[field + 1] = 0;
      long sum = 0;
      for (int i = ip + 12; i < ip + 20; i += 2) {
        sum += u16(f, i); // source and destination addresses
      }
      sum += proto + len;
      for (int i = 0; i + 1 < len; i += 2) {
        sum += u16(f, l4 + i);
      }
      if ((len & 1) == 1) {
        sum += (f[l4 + len - 1] & 0xff) << 8;
      }
      while ((sum >> 16) != 0) {
        sum = (sum & 0xffff) + (sum >> 16);
      }
      int c = (int) (~sum & 0xffff);
      if (c == 0 && proto == UDP) {
        c = 0xffff;
      }
      f[field] = (byte) (c >> 8);
      f[field + 1] = (byte) c;
    }

    private static int u16(byte[] f, int i) {
      return ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
    }
  }
}
