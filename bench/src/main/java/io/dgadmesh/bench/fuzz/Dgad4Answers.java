package io.dgadmesh.bench.fuzz;

import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.grpc.dgad4.Word;

/** Whether a dgad 4.x answer holds a verdict, for the fuzz's and the soak's callers. */
public final class Dgad4Answers {
  private Dgad4Answers() {}

  /** A host name has at most 127 labels, and the door answers one word per distinct label. */
  static final int MAX_WORDS = 127;

  /**
   * One word per label, registrable label first (dgad's words), each labelled DGA or benign, and
   * the name's verdict the same as its first word's: the door judges a name on its registrable
   * domain, whatever its subdomain words say.
   */
  public static boolean hasVerdict(Domain d) {
    if (d.getWordsCount() < 1 || d.getWordsCount() > MAX_WORDS || d.getWords(0).getValue().isEmpty()) {
      return false;
    }
    for (Word w : d.getWordsList()) {
      if (!w.getBinaryLabel().equals("DGA") && !w.getBinaryLabel().equals("benign")) {
        return false;
      }
    }
    return d.getIsDga() == d.getWords(0).getBinaryLabel().equals("DGA");
  }
}
