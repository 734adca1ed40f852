package io.dgadmesh.trainer;

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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * The labelled data of {@code ../shared/data} (see its README): {@code dga.tsv.gz} and
 * {@code benign.tsv.gz}. Rows of the {@code train} split are further cut into a training part
 * and a validation slice by group key, so near-duplicates never straddle the two.
 */
public final class DomainDataset {

  public static final String DGA_FILE = "dga.tsv.gz";
  public static final String BENIGN_FILE = "benign.tsv.gz";
  /** Share of train groups held out for validation (threshold, early choices). */
  public static final int VALIDATION_PERCENT = 10;

  /** One labelled host. {@code family} is null for benign rows. */
  public record Row(String host, boolean dga, String family, String source, boolean wordlist,
      String split, String groupKey) {

    public boolean validation() {
      return "train".equals(split) && bucket("validation:" + groupKey) < VALIDATION_PERCENT;
    }

    public boolean training() {
      return "train".equals(split) && !validation();
    }
  }

  private final List<Row> rows;
  private final String sha256;

  private DomainDataset(List<Row> rows, String sha256) {
    this.rows = rows;
    this.sha256 = sha256;
  }

  public static DomainDataset load(Path dir) {
    Path dga = dir.resolve(DGA_FILE);
    Path benign = dir.resolve(BENIGN_FILE);
    if (!Files.isRegularFile(dga) || !Files.isRegularFile(benign)) {
      throw new IllegalArgumentException("no " + DGA_FILE + " and " + BENIGN_FILE + " under " + dir
          + " (see README: where to get training data)");
    }
    List<Row> rows = new ArrayList<>(1_100_000);
    readTsv(dga, c -> rows.add(new Row(c[0], true, c[1], c[2], Boolean.parseBoolean(c[3]), c[4],
        InputUnit.split(c[0]).label())));
    readTsv(benign, c -> rows.add(new Row(c[0], false, null, c[1], false, c[3],
        InputUnit.split(c[0]).label())));
    return new DomainDataset(List.copyOf(rows), sha256(dga, benign));
  }

  private interface RowSink {
    void accept(String[] cols);
  }

  private static void readTsv(Path file, RowSink sink) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
         BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String header = r.readLine();
      if (header == null) {
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

  private static String sha256(Path... files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Path f : files) {
        md.update(Files.readAllBytes(f));
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A stable bucket 0..99 for a key (first 4 bytes of its SHA-1). */
  static int bucket(String key) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-1").digest(key.getBytes(StandardCharsets.UTF_8));
      long v = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
      return (int) (v % 100);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<Row> rows() {
    return rows;
  }

  public String sha256() {
    return sha256;
  }

  public List<Row> select(Predicate<Row> p) {
    return rows.stream().filter(p).collect(Collectors.toList());
  }

  /** Families present in the training part, sorted: the family head's output order (merged, see {@link FamilyGroups}). */
  public List<String> trainingFamilies() {
    TreeSet<String> f = new TreeSet<>();
    for (Row r : rows) {
      if (r.dga() && r.training()) {
        f.add(FamilyGroups.of(r.family()));
      }
    }
    return List.copyOf(f);
  }

  /** Families marked {@code wordlist=true} in the data. */
  public TreeSet<String> wordlistFamilies() {
    TreeSet<String> f = new TreeSet<>();
    for (Row r : rows) {
      if (r.dga() && r.wordlist()) {
        f.add(r.family());
      }
    }
    return f;
  }

  /** Row counts by (DGA|benign source) and split, for the model card. */
  public Map<String, Map<String, Integer>> counts() {
    Map<String, Map<String, Integer>> m = new TreeMap<>();
    for (Row r : rows) {
      String src = r.dga() ? "dga/" + r.source() : "benign/" + r.source();
      String split = r.validation() ? "train (validation slice)" : r.split();
      m.computeIfAbsent(src, k -> new TreeMap<>()).merge(split, 1, Integer::sum);
    }
    return m;
  }
}
