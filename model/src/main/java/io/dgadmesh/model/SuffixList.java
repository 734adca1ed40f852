package io.dgadmesh.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the registrable name of a host starts: the Public Suffix List (ICANN and private
 * sections) plus the project's own list of free-subdomain parents the PSL lacks
 * ({@code /model/extra-suffixes.txt}). The PSL is a file, not the copy inside a library, so that
 * trainer and node read the same rules whatever library versions they run, and so that users can
 * bring a newer list (the node's {@code classifier.pslPath}); {@link #sha256} names the rules, and a model refuses
 * a list other than the one it was trained with.
 *
 * <p>Matching follows the PSL's algorithm: the longest matching rule wins, an exception rule
 * ({@code !www.ck}) beats the wildcard it excepts ({@code *.ck}), and a name no rule matches has
 * its last label as suffix.
 */
public final class SuffixList {

  /** The PSL copy shipped with the model (publicsuffix.org, MPL-2.0). */
  public static final String BUNDLED_PSL = "/model/public_suffix_list.dat";
  /** The project's additions, each with its reason. */
  public static final String PROJECT_LIST = "/model/extra-suffixes.txt";

  private final Set<String> exact;
  /** Parents of wildcard rules: "ck" for "*.ck". */
  private final Set<String> wildcard;
  private final Set<String> exception;
  private final String sha256;
  private final String origin;

  private SuffixList(Set<String> exact, Set<String> wildcard, Set<String> exception, String origin) {
    this.exact = Set.copyOf(exact);
    this.wildcard = Set.copyOf(wildcard);
    this.exception = Set.copyOf(exception);
    this.origin = origin;
    this.sha256 = hash(exact, wildcard, exception);
  }

  /** The bundled PSL and the project list: what the shipped model was trained with. */
  public static SuffixList bundled() {
    return Bundled.LIST;
  }

  /** Parsed on first use, once (the class holder idiom). */
  private static final class Bundled {
    static final SuffixList LIST = parse(resource(BUNDLED_PSL), "the bundled Public Suffix List");
  }

  /**
   * The exact rules of the bundled PSL's private section (names that providers hand out): the
   * trainer can re-parent examples under them ({@code --private-suffix-share}).
   */
  public static List<String> bundledPrivateSection() {
    List<String> out = new ArrayList<>();
    boolean inside = false;
    for (String line : resource(BUNDLED_PSL).split("\n")) {
      String rule = line.strip();
      if (rule.contains("===BEGIN PRIVATE DOMAINS===")) {
        inside = true;
      } else if (rule.contains("===END PRIVATE DOMAINS===")) {
        inside = false;
      } else if (inside && !rule.isEmpty() && !rule.startsWith("//") && !rule.startsWith("*") && !rule.startsWith("!")) {
        out.add(rule);
      }
    }
    return out;
  }

  /**
   * The list a setting names ({@code classifier.pslPath}): the bundled one when empty, else
   * {@link #fromFile}. Blocking. Fails with {@code setting}, the path and the reason.
   */
  public static SuffixList forSetting(String setting, String path) {
    if (path == null || path.isEmpty()) {
      return bundled();
    }
    try {
      return fromFile(Path.of(path));
    } catch (RuntimeException e) { // unreadable (UncheckedIOException) or not a PSL (IllegalArgumentException)
      throw new IllegalStateException(setting + ": cannot use " + path + ": " + e.getMessage(), e);
    }
  }

  /** A PSL file in publicsuffix.org's format, plus the project list. Blocking. */
  public static SuffixList fromFile(Path psl) {
    String text;
    try {
      text = Files.readString(psl, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the suffix list " + psl + ": " + e.getMessage(), e);
    }
    SuffixList s = parse(text, "the suffix list " + psl);
    if (s.exact.size() < 100) {
      throw new IllegalArgumentException(psl + " holds " + s.exact.size() + " suffix rules: not a Public Suffix List");
    }
    return s;
  }

  /** Rules from PSL text (comments, blank lines, {@code *.} wildcards, {@code !} exceptions), plus the project list. */
  static SuffixList parse(String pslText, String origin) {
    return parse(pslText, true, origin);
  }

  private static SuffixList parse(String pslText, boolean withProjectList, String origin) {
    Set<String> exact = new HashSet<>();
    Set<String> wildcard = new HashSet<>();
    Set<String> exception = new HashSet<>();
    addRules(new StringReader(pslText), exact, wildcard, exception);
    if (withProjectList) {
      addRules(new StringReader(resource(PROJECT_LIST)), exact, wildcard, exception);
    }
    return new SuffixList(exact, wildcard, exception, origin);
  }

  /**
   * The PSL alone, without the project's additions: for the trainer's ablation, which measures
   * what the additions do. {@code psl} null: the bundled copy.
   */
  public static SuffixList pslOnly(Path psl) {
    try {
      String text = psl == null ? resource(BUNDLED_PSL) : Files.readString(psl, StandardCharsets.UTF_8);
      return parse(text, false, (psl == null ? "the bundled Public Suffix List" : psl.toString()) + " without the project list");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the suffix list " + psl + ": " + e.getMessage(), e);
    }
  }

  private static void addRules(Reader text, Set<String> exact, Set<String> wildcard, Set<String> exception) {
    try (BufferedReader r = new BufferedReader(text)) {
      String line;
      while ((line = r.readLine()) != null) {
        String rule = line.strip();
        if (rule.isEmpty() || rule.startsWith("//") || rule.startsWith("#")) {
          continue;
        }
        rule = rule.split("\\s+", 2)[0]; // the PSL's rule ends at white space; the project list gives a reason after it
        if (rule.startsWith("!")) {
          exception.add(ascii(rule.substring(1)));
        } else if (rule.startsWith("*.")) {
          wildcard.add(ascii(rule.substring(2)));
        } else {
          exact.add(ascii(rule));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringReader does not fail
    }
  }

  /** Rules are matched against normalised names, which carry punycode (newer scripts than Java's IDNA tables too). */
  private static String ascii(String rule) {
    String lower = rule.toLowerCase(Locale.ROOT);
    return lower.chars().allMatch(c -> c < 128) ? lower : IDN.toASCII(lower, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
  }

  private static String resource(String name) {
    try (InputStream in = SuffixList.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no " + name + " on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Of the rules, sorted, so the same rules from files written differently give one hash. */
  private static String hash(Set<String> exact, Set<String> wildcard, Set<String> exception) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      Map<String, Set<String>> kinds = new LinkedHashMap<>();
      kinds.put("exact", exact);
      kinds.put("wildcard", wildcard);
      kinds.put("exception", exception);
      kinds.forEach((kind, rules) -> new TreeSet<>(rules)
          .forEach(rule -> md.update((kind + " " + rule + "\n").getBytes(StandardCharsets.UTF_8))));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The project list's suffixes (free-subdomain parents the PSL lacks): the trainer re-parents
   * examples under them too, as under other parents where anyone picks the label.
   */
  public static List<String> projectSuffixes() {
    Set<String> exact = new HashSet<>();
    addRules(new StringReader(resource(PROJECT_LIST)), exact, new HashSet<>(), new HashSet<>());
    return List.copyOf(new TreeSet<>(exact));
  }

  /** SHA-256 of the rules (PSL and project list together): what a model records and checks. */
  public String sha256() {
    return sha256;
  }

  /** Where the rules came from, for messages. */
  public String origin() {
    return origin;
  }

  public int rules() {
    return exact.size() + wildcard.size() + exception.size();
  }

  /** Whether {@code suffix} (normalised) is itself a public suffix. */
  public boolean isPublicSuffix(String suffix) {
    return suffixStart(suffix) == 0;
  }

  /**
   * Index in {@code host} where its public suffix starts (0 when the whole name is one). A name no
   * rule matches has its last label as suffix, as the PSL's implicit "*" rule says.
   */
  public int suffixStart(String host) {
    int from = 0;
    while (true) {
      String candidate = from == 0 ? host : host.substring(from);
      int dot = host.indexOf('.', from);
      if (exception.contains(candidate)) {
        return dot < 0 ? host.length() : dot + 1; // "!www.ck": the suffix is "ck"
      }
      if (exact.contains(candidate) || (dot >= 0 && wildcard.contains(host.substring(dot + 1)))) {
        return from;
      }
      if (dot < 0) {
        return from; // the last label
      }
      from = dot + 1;
    }
  }

  /** Splits a normalised host into its registrable label and its public suffix. */
  public InputUnit.Parts split(String host) {
    int start = suffixStart(host);
    if (start == 0) {
      // The name is itself a public suffix (e.g. "ddns.net"): judge its first label.
      int dot = host.indexOf('.');
      return dot < 0 ? new InputUnit.Parts(host, "") : new InputUnit.Parts(host.substring(0, dot), host.substring(dot + 1));
    }
    int labelStart = host.lastIndexOf('.', start - 2) + 1;
    return new InputUnit.Parts(host.substring(labelStart, start - 1), host.substring(start));
  }

  @Override
  public String toString() {
    return origin + " (" + rules() + " rules, sha256 " + sha256.substring(0, 12) + ")";
  }
}
