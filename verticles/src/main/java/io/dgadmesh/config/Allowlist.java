package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Registrable domains and suffixes that are never flagged (the user's own domains, known CDNs):
 * an entry {@code example.com} covers {@code example.com} and every name under it. Applied to the
 * normalised name at every door, so a covered name is judged "ok" with {@code allowlisted: true}
 * whichever way it came in.
 *
 * <p>One entry per line; {@code #} starts a comment; {@code *.} or a leading dot is accepted and
 * means the same. The list is read once, at start. It is bounded ({@link #MAX_ENTRIES}) because it
 * is held by every classifier; a bad line is a start-up error naming the file and line, not a
 * silently ignored entry, since a mistyped allowlist entry is an analyst's blind spot.
 */
public final class Allowlist {
  public static final int MAX_ENTRIES = 100_000;
  /** The list shipped in the jar (empty of entries); bin/dgad points at the repository's copy. */
  public static final String SHIPPED = "/conf/allowlist.txt";
  private static final Pattern ENTRY = Pattern.compile("([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
  private static final Allowlist EMPTY = new Allowlist(Set.of(), "none");

  private final Set<String> entries;
  private final String source;

  private Allowlist(Set<String> entries, String source) {
    this.entries = entries;
    this.source = source;
  }

  public static Allowlist empty() {
    return EMPTY;
  }

  /** The list at {@code path}, or the shipped one when the path is empty. */
  public static Allowlist load(String path) {
    if (path == null || path.isBlank()) {
      InputStream in = Allowlist.class.getResourceAsStream(SHIPPED);
      if (in == null) {
        return EMPTY;
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        return parse(r, "the shipped " + SHIPPED);
      } catch (IOException e) {
        throw new ConfigException("classifier.allowlistPath", "cannot read " + SHIPPED + ": " + e.getMessage());
      }
    }
    Path p = Path.of(path);
    try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      return parse(r, path);
    } catch (NoSuchFileException e) {
      throw new ConfigException("classifier.allowlistPath", "no such file: " + path);
    } catch (IOException e) {
      throw new ConfigException("classifier.allowlistPath", "cannot read " + path + ": " + e.getMessage());
    }
  }

  static Allowlist parse(BufferedReader r, String source) throws IOException {
    Set<String> entries = new HashSet<>();
    String line;
    int n = 0;
    while ((line = r.readLine()) != null) {
      n++;
      int hash = line.indexOf('#');
      String e = (hash >= 0 ? line.substring(0, hash) : line).strip().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      if (e.startsWith("*.")) {
        e = e.substring(2);
      } else if (e.startsWith(".")) {
        e = e.substring(1);
      }
      if (e.endsWith(".")) {
        e = e.substring(0, e.length() - 1);
      }
      if (e.length() > 253 || !ENTRY.matcher(e).matches()) {
        throw new ConfigException("classifier.allowlistPath",
            source + " line " + n + ": '" + shown(e) + "' is not a domain name (one per line, e.g. example.com)");
      }
      if (entries.add(e) && entries.size() > MAX_ENTRIES) {
        throw new ConfigException("classifier.allowlistPath", source + " has more than " + MAX_ENTRIES + " entries");
      }
    }
    return new Allowlist(Set.copyOf(entries), source);
  }

  private static String shown(String e) {
    return e.length() > 64 ? e.substring(0, 64) + "..." : e;
  }

  /** The entry that covers a normalised name (the name itself or a parent), or null. */
  public String entryFor(String host) {
    if (entries.isEmpty()) {
      return null;
    }
    int i = 0;
    while (true) {
      String suffix = host.substring(i);
      if (entries.contains(suffix)) {
        return suffix;
      }
      int dot = host.indexOf('.', i);
      if (dot < 0) {
        return null;
      }
      i = dot + 1;
    }
  }

  public boolean covers(String host) {
    return entryFor(host) != null;
  }

  public int size() {
    return entries.size();
  }

  public String source() {
    return source;
  }
}
