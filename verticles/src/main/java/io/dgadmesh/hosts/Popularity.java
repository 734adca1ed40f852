package io.dgadmesh.hosts;

/**
 * How many distinct hosts queried a registrable domain. Offline it is counted exactly, up to a
 * bound, by {@link PopularityTable}; the live path looks it up in the cluster's shared state. The
 * host score asks for it when it is computed, so a domain that many hosts turn out to query stops
 * weighing on every one of them.
 */
public interface Popularity {

  /** Returned when the count is not known (the table overflowed, the lookup failed). */
  int UNKNOWN = -1;

  /**
   * Distinct hosts that queried the unit, exact at least up to {@code HostScore.Params#commonHosts}
   * (a larger count may be reported as that bound); 0 for a unit nobody queried; {@link #UNKNOWN}.
   */
  int hosts(String unit);

  /** A lookup that knows nothing: every unit is {@link #UNKNOWN}. */
  static Popularity unknown() {
    return unit -> UNKNOWN;
  }

  /**
   * True when a registrable domain one edit away (a letter, digit or hyphen inserted, deleted,
   * replaced, or two neighbours swapped in the label left of the public suffix) was queried by at
   * least {@code commonHosts} hosts: then {@code unit} is most likely a typo of that domain. This
   * default asks {@link #hosts} for every neighbour, a few hundred per unit; it runs only for the
   * few units that would weigh.
   */
  default boolean nearCommon(String unit, int commonHosts) {
    int dot = unit.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    String label = unit.substring(0, dot);
    String suffix = unit.substring(dot);
    StringBuilder b = new StringBuilder(label.length() + 1);
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
    for (int i = 0; i <= label.length(); i++) {
      for (int a = 0; a < alphabet.length(); a++) {
        char c = alphabet.charAt(a);
        b.setLength(0);
        b.append(label, 0, i).append(c).append(label, i, label.length());
        if (common(b + suffix, commonHosts)) {
          return true;
        }
        if (i < label.length() && c != label.charAt(i)) {
          b.setLength(0);
          b.append(label, 0, i).append(c).append(label, i + 1, label.length());
          if (common(b + suffix, commonHosts)) {
            return true;
          }
        }
      }
      if (i < label.length() && label.length() > 1) {
        b.setLength(0);
        b.append(label, 0, i).append(label, i + 1, label.length());
        if (common(b + suffix, commonHosts)) {
          return true;
        }
      }
      if (i + 1 < label.length() && label.charAt(i) != label.charAt(i + 1)) {
        b.setLength(0);
        b.append(label, 0, i).append(label.charAt(i + 1)).append(label.charAt(i)).append(label, i + 2, label.length());
        if (common(b + suffix, commonHosts)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean common(String unit, int commonHosts) {
    return hosts(unit) >= commonHosts;
  }
}
