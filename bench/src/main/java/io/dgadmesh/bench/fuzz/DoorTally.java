package io.dgadmesh.bench.fuzz;

import io.dgadmesh.model.HostnameNormalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one door did with the inputs: a verdict for a host name, a refusal with a reason for
 * anything else. A verdict for a non-name, a refusal of a host name, a refusal without a reason,
 * a transport error, a server error or no answer at all is a failure. A call a client may send again
 * by the HTTP rules (an idempotent request whose connection closed before any answer) and that
 * was answered the second time counts as retried, and is listed.
 */
public final class DoorTally {
  private final String door;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final List<String> examples = Collections.synchronizedList(new ArrayList<>());

  public DoorTally(String door) {
    this.door = door;
  }

  public String door() {
    return door;
  }

  public void sent(long n) {
    sent.addAndGet(n);
  }

  /** The door judged {@code input}. */
  public void verdict(String input) {
    if (HostnameNormalizer.normalize(input).ok()) {
      answered.incrementAndGet();
    } else {
      fail(input, "judged, but it is not a host name");
    }
  }

  /** The door refused {@code input}, saying {@code reason}. */
  public void refusal(String input, String reason) {
    if (reason == null || reason.isBlank()) {
      fail(input, "refused without a reason");
    } else if (HostnameNormalizer.normalize(input).ok()) {
      fail(input, "a host name refused: " + reason);
    } else {
      refused.incrementAndGet();
    }
  }

  public void fail(String input, String what) {
    failed.incrementAndGet();
    if (examples.size() < 5) {
      examples.add(what + " (input " + ShownInput.of(input) + ")");
    }
  }

  /** {@code input}'s call is sent again after {@code what} (a connection closed before any answer). */
  public void retry(String input, String what) {
    retried.incrementAndGet();
    if (examples.size() < 5) {
      examples.add("sent again after " + what + " (input " + ShownInput.of(input) + ")");
    }
  }

  public long sent() {
    return sent.get();
  }

  public long answered() {
    return answered.get();
  }

  public long refused() {
    return refused.get();
  }

  public long failed() {
    return failed.get();
  }

  public long retried() {
    return retried.get();
  }

  public List<String> examples() {
    return List.copyOf(examples);
  }

  /** An input as a short, printable text for a report. */
  static final class ShownInput {
    private ShownInput() {}

    static String of(String s) {
      StringBuilder b = new StringBuilder("'");
      for (int i = 0; i < s.length() && b.length() < 60; i++) {
        char c = s.charAt(i);
        b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
      }
      return b.append(s.length() > 58 ? "...' (" + s.length() + " chars)" : "'").toString();
    }
  }
}
