package io.dgadmesh.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

/**
 * Synthetic dictionary DGAs: names built from 2 to 4 words of general word lists (Debian's
 * SCOWL-derived {@code american-english}, {@code british-english}, {@code french},
 * {@code ngerman}, ...), some with separators or digits, under the TLDs DGA families use. They
 * teach the network what word-list DGAs have in common (several unrelated words, no brand)
 * rather than one family's list. None copies an evaluated family's generator: those draw from
 * their own short lists (suppobox's, nymaim2's, matsnu's, gozi's), with their own rules; these
 * draw from tens of thousands of dictionary words, several languages, five layouts.
 *
 * <p>Fresh names every epoch, from the epoch's random stream, so a run reproduces.
 */
final class WordDgas {

  /** The layouts, one "generator" each. */
  enum Layout {
    TWO_WORDS, THREE_WORDS, HYPHENATED, WITH_DIGITS, TWO_LANGUAGES
  }

  static final List<String> TLDS = List.of("com", "net", "org", "info", "biz", "ru", "cc", "in", "top", "xyz",
      "co", "me", "tk", "pw", "club", "online", "su", "ws", "name", "us");

  private final List<List<String>> lists = new ArrayList<>();
  private final List<String> listNames = new ArrayList<>();

  private WordDgas() {}

  /** No word lists: no synthetic names (--synthetic 0, tests). */
  static WordDgas none() {
    return new WordDgas();
  }

  /**
   * Every readable word list under {@code dir} (plain files, one word per line), each reduced to
   * lower-case ASCII words of 3 to 10 letters. Empty when the directory has none.
   */
  static WordDgas load(Path dir) {
    WordDgas w = new WordDgas();
    if (!Files.isDirectory(dir)) {
      return w;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        if (!Files.isRegularFile(f) || Files.isSymbolicLink(f) || f.getFileName().toString().startsWith("README")) {
          continue;
        }
        List<String> words = words(f);
        if (words.size() >= 1000) {
          w.lists.add(words);
          w.listNames.add(f.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list word lists in " + dir, e);
    }
    return w;
  }

  /** Debian's lists are UTF-8; a file that does not decode as such is read as Latin-1. */
  private static List<String> words(Path f) throws IOException {
    byte[] bytes = Files.readAllBytes(f);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    }
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String line : text.split("\n")) {
      String w = Normalizer.normalize(line.strip(), Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(java.util.Locale.ROOT);
      if (w.length() >= 3 && w.length() <= 10 && w.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
        out.add(w);
      }
    }
    return List.copyOf(out);
  }

  boolean isEmpty() {
    return lists.isEmpty();
  }

  String describe() {
    return lists.isEmpty() ? "none (no word lists)" : Layout.values().length + " layouts over " + listNames;
  }

  /** One synthetic host name of a layout. */
  String name(Layout layout, Random rnd) {
    List<String> a = lists.get(rnd.nextInt(lists.size()));
    String label = switch (layout) {
      case TWO_WORDS -> word(a, rnd) + word(a, rnd);
      case THREE_WORDS -> word(a, rnd, 6) + word(a, rnd, 6) + word(a, rnd, 6);
      case HYPHENATED -> word(a, rnd) + "-" + word(a, rnd) + (rnd.nextInt(3) == 0 ? "-" + word(a, rnd, 6) : "");
      case WITH_DIGITS -> rnd.nextBoolean() ? word(a, rnd) + word(a, rnd) + rnd.nextInt(rnd.nextBoolean() ? 100 : 10000)
          : word(a, rnd) + rnd.nextInt(100) + word(a, rnd);
      case TWO_LANGUAGES -> word(a, rnd) + word(lists.get(rnd.nextInt(lists.size())), rnd);
    };
    if (label.length() > 63) {
      label = label.substring(0, 63);
    }
    if (label.endsWith("-")) {
      label = label.substring(0, label.length() - 1);
    }
    return label + "." + TLDS.get(rnd.nextInt(TLDS.size()));
  }

  private static String word(List<String> list, Random rnd) {
    return list.get(rnd.nextInt(list.size()));
  }

  /** A word of at most {@code max} letters, so three or four words make a name of a usual length. */
  private static String word(List<String> list, Random rnd, int max) {
    for (int i = 0; i < 20; i++) {
      String w = list.get(rnd.nextInt(list.size()));
      if (w.length() <= max) {
        return w;
      }
    }
    String w = list.get(rnd.nextInt(list.size()));
    return w.substring(0, Math.min(max, w.length()));
  }
}
