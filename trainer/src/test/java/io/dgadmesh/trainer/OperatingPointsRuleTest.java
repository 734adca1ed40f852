package io.dgadmesh.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operating points count each benign registrable domain once, however many rows list it. */
class OperatingPointsRuleTest {

  @Test
  void aDomainListedManyTimesCountsOnce() {
    List<String> units = new ArrayList<>();
    List<Float> scores = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      units.add("benign" + i + ".com");
      scores.add(i / 1000f);
    }
    for (int i = 0; i < 5; i++) { // one random-looking domain, five host names of it in the list
      units.add("x9fnzrtl4x8pynsf.com");
      scores.add(0.9999f);
    }
    units.add("dga.com");
    scores.add(0.99995f);
    boolean[] dga = new boolean[units.size()];
    dga[units.size() - 1] = true;
    float[] s = new float[scores.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = scores.get(i);
    }
    Map<String, Float> points = TrainCommand.operatingPoints(units, dga, s);
    // 1,001 distinct benign domains: 1e-3 lets one of them, the listed-five-times one, score above balanced
    assertEquals(Math.nextUp(0.999f), points.get(ModelSpec.DEFAULT_POINT));
    // by rows (1,005) the same rule would have put balanced above that domain, at nextUp(0.9999)
    assertTrue(points.get(ModelSpec.DEFAULT_POINT) < 0.9999f);
    assertEquals(Math.nextUp(0.9999f), points.get("strict"), "1e-4 of 1,001 domains lets none above");
  }
}
