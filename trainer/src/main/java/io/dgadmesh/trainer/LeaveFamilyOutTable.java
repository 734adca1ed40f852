package io.dgadmesh.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The card's leave-family-out table ({@code trainer/leave-family-out.md}, written by
 * {@code compare --report}) read back for the headline: the target is that the shipped
 * settings, trained without the left-out families, find at least as many of them as the same run
 * with characters only. The verdict is read from the table so that the headline cannot say "met"
 * while the table below it says otherwise.
 */
record LeaveFamilyOutTable(double[] shipped, double[] charactersOnly) {

  /** The row of the shipped settings starts with this; the baseline row with {@link #BASELINE}. */
  static final String SHIPPED = "shipped settings";
  static final String BASELINE = "characters only";

  /** Empty when the table lacks either row or its last column is not "a / b" recalls. */
  static Optional<LeaveFamilyOutTable> parse(String markdown) {
    double[] shipped = null;
    double[] baseline = null;
    for (String line : markdown.split("\n")) {
      List<String> cells = cells(line);
      if (cells.size() < 2) {
        continue;
      }
      String run = cells.get(0);
      if (run.startsWith(SHIPPED) && shipped == null) {
        shipped = recalls(cells.get(cells.size() - 1));
      } else if (run.startsWith(BASELINE) && baseline == null) {
        baseline = recalls(cells.get(cells.size() - 1));
      }
    }
    if (shipped == null || baseline == null || shipped.length != baseline.length) {
      return Optional.empty();
    }
    return Optional.of(new LeaveFamilyOutTable(shipped, baseline));
  }

  /** Not below characters-only for every left-out family. */
  boolean met() {
    for (int i = 0; i < shipped.length; i++) {
      if (shipped[i] < charactersOnly[i]) {
        return false;
      }
    }
    return true;
  }

  String describe() {
    return join(shipped) + " (characters only " + join(charactersOnly) + ")";
  }

  private static String join(double[] r) {
    List<String> s = new ArrayList<>();
    for (double x : r) {
      s.add(String.format("%.4f", x));
    }
    return String.join(" / ", s);
  }

  private static List<String> cells(String line) {
    String t = line.strip();
    if (!t.startsWith("|") || t.startsWith("|---")) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String c : t.substring(1).split("\\|")) {
      out.add(c.strip());
    }
    return out;
  }

  private static double[] recalls(String cell) {
    String[] parts = cell.split("/");
    double[] r = new double[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        r[i] = Double.parseDouble(parts[i].strip());
      }
    } catch (NumberFormatException notRecalls) {
      return null;
    }
    return r;
  }
}
