package io.dgadmesh.trainer;

import java.util.Map;

/**
 * Families that share one generator, merged into one class of the family head: telling them apart
 * is a guess between identical generators (or a seed), and a head forced to guess loses macro-F1
 * on noise. Each merge names its reason in the model card.
 */
final class FamilyGroups {

  /** family → merged label. Families not listed keep their own name. */
  static final Map<String, String> MERGED = Map.ofEntries(
      // GameOver Zeus's DGA: murofet and tufik are DGArchive's names for the same generator
      // (the data's README: gameover_p2p shares it too).
      Map.entry("gameover", "gameover+murofet+tufik"),
      Map.entry("murofet", "gameover+murofet+tufik"),
      Map.entry("tufik", "gameover+murofet+tufik"),
      Map.entry("gameover_p2p", "gameover+murofet+tufik"),
      // the same generator, one with time-dependent seeds ("tid", "tdd") or another seed set ("s")
      Map.entry("pykspa2", "pykspa2+pykspa2s"),
      Map.entry("pykspa2s", "pykspa2+pykspa2s"),
      Map.entry("vidro", "vidro+vidrotid"),
      Map.entry("vidrotid", "vidro+vidrotid"),
      Map.entry("pushdo", "pushdo+pushdotid"),
      Map.entry("pushdotid", "pushdo+pushdotid"),
      Map.entry("tempedreve", "tempedreve+tempedrevetdd"),
      Map.entry("tempedrevetdd", "tempedreve+tempedrevetdd"));

  private FamilyGroups() {}

  /** The family head's label for a data family. */
  static String of(String family) {
    return family == null ? null : MERGED.getOrDefault(family, family);
  }
}
