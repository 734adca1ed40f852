package io.dgadmesh.trainer;

import io.dgadmesh.model.SuffixList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws each epoch's examples from the training part: every benign unit (deduplicated, so one
 * CDN parent with thousands of host names does not dominate), and at most {@code cap} rows per
 * DGA family, so families weigh alike. A small share of both classes is re-parented under
 * dynamic-DNS suffixes, so the suffix alone is no evidence either way (the data has whole
 * families there, e.g. corebot and symmi under ddns.net).
 */
final class TrainingExamples {

  /** Dynamic-DNS and shared-hosting parents where anyone picks the label. */
  static final List<String> USER_CHOSEN_PARENTS = List.of("ddns.net", "duckdns.org", "dyndns.org",
      "mooo.com", "hopto.org", "zapto.org", "sytes.net", "no-ip.biz", "no-ip.org", "dynserv.com",
      "yi.org", "blogspot.com", "github.io", "herokuapp.com", "dyndns.info", "servebeer.com");

  /** How often a rare family's rows may repeat in one epoch. */
  static final int RARE_REPEATS = 3;
  /** The largest family-loss weight of a row of a rare family. */
  static final double MAX_FAMILY_WEIGHT = 8.0;

  /**
   * One training example. {@code counted}: from a training row, whose label a character LM's
   * counts may hold, so its statistics are computed as if they did not (leave-one-out).
   */
  record Example(String unit, boolean dga, int family, float weight, boolean counted) {}

  private final List<String> benignUnits;
  private final List<String> benignLabels;
  private final Map<String, List<DomainDataset.Row>> dgaByFamily;
  private final Map<String, Integer> familyIndex;
  private final List<String> parents;
  private final List<String> privateSuffixes;
  private final TrainingOptions options;
  private final SuffixList suffixes;
  private final WordDgas words;

  TrainingExamples(List<DomainDataset.Row> training, List<String> families, TrainingOptions options,
      SuffixList suffixes, WordDgas words) {
    this.options = options;
    this.suffixes = suffixes;
    this.words = words;
    this.familyIndex = new HashMap<>();
    for (int i = 0; i < families.size(); i++) {
      familyIndex.put(families.get(i), i);
    }
    LinkedHashSet<String> units = new LinkedHashSet<>();
    LinkedHashSet<String> labels = new LinkedHashSet<>();
    dgaByFamily = new HashMap<>();
    for (DomainDataset.Row r : training) {
      if (r.dga()) {
        dgaByFamily.computeIfAbsent(FamilyGroups.of(r.family()), k -> new ArrayList<>()).add(r);
      } else {
        units.add(unit(r.host()));
        labels.add(r.groupKey());
      }
    }
    benignUnits = List.copyOf(units);
    benignLabels = List.copyOf(labels);
    // The project list's parents are such parents by definition (anyone can take a name under
    // them), so examples are re-parented under them too when the run uses that list.
    List<String> candidates = new ArrayList<>(USER_CHOSEN_PARENTS);
    if (options.projectSuffixes) {
      candidates.addAll(SuffixList.projectSuffixes());
    }
    parents = candidates.stream().filter(suffixes::isPublicSuffix).distinct().toList();
    privateSuffixes = options.privateSuffixShare > 0 ? privateSuffixes(training, suffixes) : List.of();
  }

  /**
   * The PSL's private section, less the suffixes held out for the card's probes and less every
   * suffix that benign training rows sit under: those (cloudfront.net, amazonaws.com, ...) hand
   * out provider-made labels, and the network should keep learning that they are benign.
   */
  private static List<String> privateSuffixes(List<DomainDataset.Row> training, SuffixList suffixes) {
    java.util.Set<String> benignParents = new java.util.HashSet<>();
    for (DomainDataset.Row r : training) {
      if (!r.dga()) {
        benignParents.add(suffixes.split(r.host()).suffix());
      }
    }
    List<String> out = new ArrayList<>();
    for (String s : SuffixList.bundledPrivateSection()) {
      if (s.contains(".") && s.chars().allMatch(c -> c < 128)
          && !Evaluation.HELD_OUT_PARENTS.contains(s) && !benignParents.contains(s)) {
        out.add(s);
      }
    }
    Collections.sort(out);
    return out;
  }

  /** For the model's metadata: what the re-parenting drew from. */
  String describeParents() {
    String known = parents.size() + " dynamic-DNS suffixes (" + String.join(", ", parents) + ")";
    if (options.privateSuffixShare <= 0) {
      return known;
    }
    return known + " and, for " + options.privateSuffixShare + " of them, " + privateSuffixes.size()
        + " other PSL private-section suffixes (not those benign training rows sit under, nor the "
        + "held-out " + String.join(", ", Evaluation.HELD_OUT_PARENTS) + ")";
  }

  int benignUnits() {
    return benignUnits.size();
  }

  private String unit(String host) {
    return options.inputUnit.extract(host, options.maxLen - 2, suffixes);
  }

  /**
   * Under a well-known dynamic-DNS parent or, for a share {@code privateSuffixShare}, under any
   * other private-section suffix (no random draw when that share is 0, so runs reproduce).
   */
  private String reparent(String label, Random rnd) {
    boolean wide = options.privateSuffixShare > 0 && !privateSuffixes.isEmpty()
        && rnd.nextDouble() < options.privateSuffixShare;
    List<String> from = wide ? privateSuffixes : parents;
    return unit(label + "." + from.get(rnd.nextInt(from.size())));
  }

  List<Example> epoch(Random rnd) {
    List<Example> dga = new ArrayList<>();
    List<String> familyNames = new ArrayList<>(dgaByFamily.keySet());
    Collections.sort(familyNames);
    for (String f : familyNames) {
      List<DomainDataset.Row> rows = new ArrayList<>(dgaByFamily.get(f));
      Collections.shuffle(rows, rnd);
      // Rare families are kept whole and drawn up to RARE_REPEATS times over (re-parenting varies
      // the copies a little); what they still lack in rows they make up in family-loss weight, so
      // every family weighs about the same in the family head (class-balanced, capped).
      int take = Math.min(rows.size() * (options.familyBalance ? RARE_REPEATS : 1), options.capPerFamily);
      float famWeight = options.familyBalance ? (float) Math.min(MAX_FAMILY_WEIGHT, (double) options.capPerFamily / take)
          : (float) Math.min(4.0, Math.sqrt((double) options.capPerFamily / take));
      int idx = familyIndex.get(f);
      for (int i = 0; i < take; i++) {
        DomainDataset.Row r = rows.get(i % rows.size());
        String u = rnd.nextDouble() < options.augmentShare ? reparent(r.groupKey(), rnd) : unit(r.host());
        dga.add(new Example(u, true, idx, famWeight, true));
      }
    }
    // Synthetic word-list DGAs: binary head only (no family of their own), so they teach
    // "several unrelated words" without a class the family head would have to name.
    if (!words.isEmpty()) {
      for (WordDgas.Layout layout : WordDgas.Layout.values()) {
        for (int i = 0; i < options.syntheticPerGenerator; i++) {
          dga.add(new Example(unit(words.name(layout, rnd)), true, -1, 0f, false));
        }
      }
    }
    List<Example> benign = new ArrayList<>(benignUnits.size() + 1000);
    for (String u : benignUnits) {
      benign.add(new Example(u, false, -1, 0f, true));
    }
    int extra = (int) (benignUnits.size() * options.augmentShare);
    for (int i = 0; i < extra; i++) {
      benign.add(new Example(reparent(benignLabels.get(rnd.nextInt(benignLabels.size())), rnd), false, -1, 0f, true));
    }
    List<Example> all = new ArrayList<>(dga.size() + benign.size());
    all.addAll(dga);
    all.addAll(benign);
    Collections.shuffle(all, rnd);
    return all;
  }

  /**
   * Cuts examples into batches of similar length (sorted within chunks of 64 batches, then the
   * batches shuffled): padding costs compute, and per-batch padding is exact for this network.
   */
  static List<List<Example>> batches(List<Example> examples, int batchSize, Random rnd) {
    List<List<Example>> out = new ArrayList<>();
    int chunk = batchSize * 64;
    for (int start = 0; start < examples.size(); start += chunk) {
      List<Example> part = new ArrayList<>(examples.subList(start, Math.min(examples.size(), start + chunk)));
      part.sort((a, b) -> Integer.compare(a.unit().length(), b.unit().length()));
      for (int i = 0; i < part.size(); i += batchSize) {
        out.add(part.subList(i, Math.min(part.size(), i + batchSize)));
      }
    }
    Collections.shuffle(out, rnd);
    return out;
  }
}
