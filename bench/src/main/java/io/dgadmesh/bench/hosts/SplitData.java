package io.dgadmesh.bench.hosts;

import io.dgadmesh.model.InputUnit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The names of one split of the labelled data ({@code dga.tsv.gz}, {@code benign.tsv.gz}; see the
 * data's README). {@code train} means the train split's validation slice: the 10% of train name
 * groups the network was not fitted on (the trainer's rule: SHA-1 of "validation:" + group key, first
 * four bytes, mod 100, below 10), so per-name scores there are as honest as on test. Benign names
 * come in popularity order (the two ranked lists interleaved by rank), for Zipf sampling.
 */
public final class SplitData {

  public static final String DGA_FILE = "dga.tsv.gz";
  public static final String BENIGN_FILE = "benign.tsv.gz";
  static final int VALIDATION_PERCENT = 10;

  private final String split;
  private final List<String> benignByRank;
  private final Map<String, List<String>> dgaByFamily;
  private final Map<String, List<String>> unseenByFamily;

  private SplitData(String split, List<String> benignByRank, Map<String, List<String>> dgaByFamily,
      Map<String, List<String>> unseenByFamily) {
    this.split = split;
    this.benignByRank = benignByRank;
    this.dgaByFamily = dgaByFamily;
    this.unseenByFamily = unseenByFamily;
  }

  /**
   * @param split "train" (its validation slice) or "test"; the unseen families are loaded with
   *     "test" only, since nothing may be chosen on them
   */
  public static SplitData load(Path dir, String split) {
    if (!split.equals("train") && !split.equals("test")) {
      throw new IllegalArgumentException("split must be train or test, got " + split);
    }
    Path dga = dir.resolve(DGA_FILE);
    Path benign = dir.resolve(BENIGN_FILE);
    if (!Files.isRegularFile(dga) || !Files.isRegularFile(benign)) {
      throw new IllegalArgumentException("no " + DGA_FILE + " and " + BENIGN_FILE + " under " + dir);
    }
    record Ranked(String name, long rank, int source) {}
    List<Ranked> ranked = new ArrayList<>();
    readTsv(benign, c -> {
      if (inSplit(c[0], c[3], split)) {
        ranked.add(new Ranked(c[0], Long.parseLong(c[2]), c[1].equals("alexa2016") ? 0 : 1));
      }
    });
    ranked.sort(Comparator.comparingLong(Ranked::rank).thenComparingInt(Ranked::source));
    Set<String> benignNames = new LinkedHashSet<>();
    for (Ranked r : ranked) {
      benignNames.add(r.name());
    }
    Map<String, List<String>> families = new TreeMap<>();
    Map<String, List<String>> unseen = new TreeMap<>();
    readTsv(dga, c -> {
      if (c[4].equals("unseen")) {
        if (split.equals("test")) {
          unseen.computeIfAbsent(c[1], k -> new ArrayList<>()).add(c[0]);
        }
      } else if (inSplit(c[0], c[4], split)) {
        families.computeIfAbsent(c[1], k -> new ArrayList<>()).add(c[0]);
      }
    });
    return new SplitData(split, List.copyOf(benignNames), families, unseen);
  }

  private static boolean inSplit(String name, String rowSplit, String split) {
    if (split.equals("test")) {
      return rowSplit.equals("test");
    }
    return rowSplit.equals("train") && validationSlice(name);
  }

  /** The trainer's validation slice of the train split (DomainDataset.Row#validation). */
  static boolean validationSlice(String name) {
    String key = "validation:" + InputUnit.split(name).label();
    try {
      byte[] h = MessageDigest.getInstance("SHA-1").digest(key.getBytes(StandardCharsets.UTF_8));
      long v = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
      return v % 100 < VALIDATION_PERCENT;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface RowSink {
    void accept(String[] cols);
  }

  private static void readTsv(Path file, RowSink sink) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
         BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      if (r.readLine() == null) {
        throw new IllegalArgumentException(file + " is empty");
      }
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isEmpty()) {
          sink.accept(line.split("\t", -1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public String split() {
    return split;
  }

  /** Benign names, most popular first. */
  public List<String> benignByRank() {
    return benignByRank;
  }

  /** DGA names of the split's families. */
  public Map<String, List<String>> dgaByFamily() {
    return dgaByFamily;
  }

  /** DGA names of the unseen families (loaded with "test" only). */
  public Map<String, List<String>> unseenByFamily() {
    return unseenByFamily;
  }
}
