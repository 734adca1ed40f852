package io.dgadmesh.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.dgadmesh.model.CharLm;
import io.dgadmesh.model.CharStats;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The training path's statistics: leave-one-out for labels an LM counted, the node's numbers for the rest. */
class TrainingFeaturesTest {

  static final List<String> BENIGN = List.of("google", "wikipedia", "amazon", "weather", "bankofamerica", "news",
      "weatherchannel");
  static final List<String> WORDS = List.of("queenplain", "forgetstation", "pleasantmillion", "breaddifference");

  @Test
  void aLabelNoLmCountedGetsTheNodesNumbersLengthBinsIncluded() {
    TrainingFeatures f = new TrainingFeatures(BENIGN, Map.of("suppobox", WORDS), 12);
    float[] node = new float[f.tables().count()];
    f.tables().compute("xkqwzjvbnmtr", node, 0);
    assertArrayEquals(node, f.leavingOut("xkqwzjvbnmtr"));
    float[] bins = Arrays.copyOfRange(node, CharStats.COUNT, node.length);
    float[] twelve = new float[12];
    twelve[11] = 1f;
    assertArrayEquals(twelve, bins, "12 characters: the last of 12 bins");
  }

  /** A benign training label is scored by counts without it, so it looks as new to the benign LM as a served name. */
  @Test
  void aCountedLabelIsScoredLeavingItselfOut() {
    TrainingFeatures f = new TrainingFeatures(BENIGN, Map.of("suppobox", WORDS), 12);
    float[] trained = f.leavingOut("weather");
    float[] node = new float[f.tables().count()];
    f.tables().compute("weather", node, 0);
    assertNotEquals(node[0], trained[0], "the LM surprise differs: the node's table has counted the label");

    CharLm.Counts without = new CharLm.Counts();
    BENIGN.stream().filter(l -> !l.equals("weather")).forEach(without::add);
    CharLm.Counts words = new CharLm.Counts();
    WORDS.forEach(words::add);
    float[] expected = new float[f.tables().count()];
    f.tables().compute("weather", without.bitsPerChar("weather"), new double[] {words.table().bitsPerChar("weather")},
        expected, 0);
    assertArrayEquals(expected, trained, 1e-6f);
    assertEquals(1f, trained[CharStats.COUNT + 6], "weather: 7 characters, bin 7");
  }
}
