package io.dgadmesh.model;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A character 4-gram language model of benign registrable labels: how surprising each character
 * of a label is after the three before it, in bits. Random-looking DGA labels are surprising
 * under it; words and brand names are not. Witten-Bell interpolation down to add-one unigrams,
 * so unseen 4-grams get the lower orders' estimate instead of nothing.
 *
 * <p>The table holds -log2 P(c | three characters before) for every context and character,
 * quantised to 1/16 bit in one byte: {@value #SYMBOLS}^4 bytes. It travels inside the model's
 * metadata ({@link #encode}), with its SHA-256, so a model can only ever be served with the
 * tables it was trained with.
 */
public final class CharLm {

  /** Label boundary (three before the first character, one after the last), then the label's characters. */
  static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-";
  public static final int SYMBOLS = ALPHABET.length() + 1;
  static final int ORDER = 4;
  static final int TABLE = SYMBOLS * SYMBOLS * SYMBOLS * SYMBOLS;
  /** Quantisation: 16 steps per bit, so one byte spans 0 to 15.94 bits. */
  static final double STEPS_PER_BIT = 16.0;
  private static final byte[] MAGIC = {'D', 'L', 'M', '1'};

  private static final byte[] INDEX = new byte[128];

  static {
    java.util.Arrays.fill(INDEX, (byte) ALPHABET.length()); // anything else reads as '-' (labels have none)
    for (int i = 0; i < ALPHABET.length(); i++) {
      INDEX[ALPHABET.charAt(i)] = (byte) (i + 1);
    }
  }

  private final byte[] table;
  private final String sha256;

  private CharLm(byte[] table) {
    if (table.length != TABLE) {
      throw new IllegalArgumentException("a character LM table has " + TABLE + " entries, not " + table.length);
    }
    this.table = table;
    this.sha256 = sha256(table);
  }

  static int symbol(char c) {
    return c < 128 ? INDEX[c] : ALPHABET.length();
  }

  /** Mean surprise per character of {@code label} (its end included), in bits. */
  public double bitsPerChar(CharSequence label) {
    int n = Math.min(label.length(), 63);
    int a = 0;
    int b = 0;
    int c = 0;
    long sum = 0;
    for (int i = 0; i <= n; i++) {
      int d = i < n ? symbol(label.charAt(i)) : 0;
      sum += table[((a * SYMBOLS + b) * SYMBOLS + c) * SYMBOLS + d] & 0xff;
      a = b;
      b = c;
      c = d;
    }
    return sum / STEPS_PER_BIT / (n + 1);
  }

  /** SHA-256 of the table: what the model's metadata records ({@link ModelSpec#KEY_CHAR_LM_HASH}). */
  public String sha256() {
    return sha256;
  }

  /** The table for the model's metadata: deflated, Base64. Same table, same string. */
  public String encode() {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
    d.setInput(table);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream(TABLE / 4);
    out.writeBytes(MAGIC);
    byte[] buf = new byte[1 << 16];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  /**
   * The table from the model's metadata, checked against the hash the model records: a model
   * whose tables were swapped or damaged is refused with the reason.
   */
  public static CharLm decode(String encoded, String expectedSha256) {
    byte[] packed;
    try {
      packed = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the model's character LM tables are not Base64: " + e.getMessage(), e);
    }
    if (packed.length < MAGIC.length || !java.util.Arrays.equals(packed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IllegalArgumentException("the model's character LM tables are not in a format this build reads");
    }
    Inflater inf = new Inflater();
    inf.setInput(packed, MAGIC.length, packed.length - MAGIC.length);
    byte[] table = new byte[TABLE];
    try {
      int n = 0;
      while (n < TABLE && !inf.finished()) {
        int got = inf.inflate(table, n, TABLE - n);
        if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        n += got;
      }
      if (n != TABLE || !inf.finished()) {
        throw new IllegalArgumentException("the model's character LM tables are truncated or too long");
      }
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("the model's character LM tables are damaged: " + e.getMessage(), e);
    } finally {
      inf.end();
    }
    CharLm lm = new CharLm(table);
    if (!lm.sha256.equals(expectedSha256)) {
      throw new IllegalArgumentException("the model's character LM tables (sha256 " + lm.sha256.substring(0, 12)
          + ") are not the ones it was trained with (sha256 " + abbreviate(expectedSha256) + ")");
    }
    return lm;
  }

  private static String abbreviate(String hash) {
    return hash == null ? "none recorded" : hash.substring(0, Math.min(12, hash.length()));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static int quantise(double bits) {
    return (int) Math.min(255, Math.max(0, Math.round(bits * STEPS_PER_BIT)));
  }

  /**
   * n-gram counts of a set of labels, to build the table (trainer) and to score a label as if it
   * had not been counted ({@link #bitsPerCharLeavingOut}): a training label scored by a model that
   * has seen it looks more benign than any new benign name would, and the network would learn
   * that gap.
   */
  public static final class Counts {
    // count[k][context * SYMBOLS + c]: n-grams of order k+1; ctx[k][context]: their totals; kinds[k][context]: distinct followers.
    private final int[][] count = new int[ORDER][];
    private final int[][] ctx = new int[ORDER][];
    private final int[][] kinds = new int[ORDER][];

    public Counts() {
      int contexts = 1;
      for (int k = 0; k < ORDER; k++) {
        count[k] = new int[contexts * SYMBOLS];
        ctx[k] = new int[contexts];
        kinds[k] = new int[contexts];
        contexts *= SYMBOLS;
      }
    }

    public void add(CharSequence label) {
      update(label, 1);
    }

    private void update(CharSequence label, int delta) {
      int n = Math.min(label.length(), 63);
      int[] hist = new int[ORDER - 1]; // boundaries
      for (int i = 0; i <= n; i++) {
        int d = i < n ? symbol(label.charAt(i)) : 0;
        int context = 0;
        for (int k = 0; k < ORDER; k++) {
          // order k+1: the k characters before d
          if (k > 0) {
            context = contextOf(hist, k);
          }
          int at = context * SYMBOLS + d;
          int before = count[k][at];
          count[k][at] = before + delta;
          ctx[k][context] += delta;
          if (before == 0 && delta > 0) {
            kinds[k][context]++;
          } else if (before + delta == 0 && delta < 0) {
            kinds[k][context]--;
          }
        }
        System.arraycopy(hist, 1, hist, 0, ORDER - 2);
        hist[ORDER - 2] = d;
      }
    }

    /** The last k symbols of the history, as a context index. */
    private static int contextOf(int[] hist, int k) {
      int c = 0;
      for (int j = ORDER - 1 - k; j < ORDER - 1; j++) {
        c = c * SYMBOLS + hist[j];
      }
      return c;
    }

    /** Witten-Bell: P(d | the last k symbols of context), recursively. */
    private double probability(int[] hist, int k, int d) {
      if (k == 0) {
        return (count[0][d] + 1.0) / (ctx[0][0] + SYMBOLS);
      }
      double lower = probability(hist, k - 1, d);
      int context = contextOf(hist, k);
      int total = ctx[k][context];
      if (total == 0) {
        return lower;
      }
      int t = kinds[k][context];
      return (count[k][context * SYMBOLS + d] + t * lower) / (total + t);
    }

    /** -log2 P(d | history) in the table's steps: the byte the table holds. */
    private int steps(int[] hist, int d) {
      return quantise(-Math.log(probability(hist, ORDER - 1, d)) / Math.log(2));
    }

    /** The table of every context and character. */
    public CharLm table() {
      byte[] table = new byte[TABLE];
      int[] hist = new int[ORDER - 1];
      for (int i = 0; i < TABLE / SYMBOLS; i++) {
        hist[0] = i / (SYMBOLS * SYMBOLS);
        hist[1] = (i / SYMBOLS) % SYMBOLS;
        hist[2] = i % SYMBOLS;
        for (int d = 0; d < SYMBOLS; d++) {
          table[i * SYMBOLS + d] = (byte) steps(hist, d);
        }
      }
      return new CharLm(table);
    }

    /** {@link CharLm#bitsPerChar} of a label these counts hold once, as if they did not. */
    public double bitsPerCharLeavingOut(CharSequence label) {
      update(label, -1);
      try {
        return bitsPerChar(label);
      } finally {
        update(label, 1);
      }
    }

    /** {@link CharLm#bitsPerChar} from the counts, as the table would give it. */
    public double bitsPerChar(CharSequence label) {
      int n = Math.min(label.length(), 63);
      int[] hist = new int[ORDER - 1];
      long sum = 0;
      for (int i = 0; i <= n; i++) {
        int d = i < n ? symbol(label.charAt(i)) : 0;
        sum += steps(hist, d);
        System.arraycopy(hist, 1, hist, 0, ORDER - 2);
        hist[ORDER - 2] = d;
      }
      return sum / STEPS_PER_BIT / (n + 1);
    }
  }
}
