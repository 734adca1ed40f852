package io.dgadmesh.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Minimal option parsing: repeated "--key value" / "-k value" pairs and bare flags. */
public final class Args {
  private final String[] argv;

  public Args(String[] argv) {
    this.argv = argv;
  }

  public List<String> values(String... names) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < argv.length; i++) {
      for (String n : names) {
        if (argv[i].equals(n)) {
          if (i + 1 >= argv.length) {
            throw new IllegalArgumentException(n + " needs a value");
          }
          out.add(argv[++i]);
        } else if (argv[i].startsWith(n + "=")) {
          out.add(argv[i].substring(n.length() + 1));
        }
      }
    }
    return out;
  }

  public Optional<String> value(String... names) {
    List<String> v = values(names);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
  }

  /** A HOST:PORT option value, checked: the message names the option and what is wrong. */
  public static HostPort hostPort(String option, String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 1 || colon == value.length() - 1) {
      throw new IllegalArgumentException(option + " needs HOST:PORT, got '" + value + "'");
    }
    String port = value.substring(colon + 1);
    try {
      int p = Integer.parseInt(port);
      if (p >= 1 && p <= 65535) {
        return new HostPort(value.substring(0, colon), p);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " needs HOST:PORT with a port from 1 to 65535, got '" + value + "'");
  }

  public record HostPort(String host, int port) {}

  public boolean flag(String name) {
    for (String a : argv) {
      if (a.equals(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first option that is not in {@code known}, if any ({@code --key=value} counts as
   * {@code --key}); option values are skipped, so a value that starts with a dash is not taken
   * for an option.
   */
  public Optional<String> unknownOption(Set<String> known) {
    List<String> options = new ArrayList<>();
    walk(a -> { }, options::add);
    return options.stream().filter(o -> !known.contains(o) && !BARE.contains(o)).findFirst();
  }

  /** Bare flags (no value); every other option takes the next argument as its value. */
  static final List<String> BARE = List.of("--wait", "--help", "-h");

  /** Arguments that are neither options nor option values ("-" alone is one: stdin). */
  public String[] positional() {
    List<String> out = new ArrayList<>();
    walk(out::add, o -> { });
    return out.toArray(new String[0]);
  }

  /** Positional arguments to one consumer, option names (without "=value") to the other. */
  private void walk(Consumer<String> positional, Consumer<String> option) {
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.equals("-") || !a.startsWith("-")) {
        positional.accept(a);
        continue;
      }
      option.accept(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
      if (!BARE.contains(a) && !a.contains("=")) {
        i++;
      }
    }
  }
}
