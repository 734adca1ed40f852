package io.dgadmesh.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.model.Prediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class NameJudgeTest {

  @Test
  void eachPublicNameReachesTheModelOnceAndNothingElseDoes() {
    List<String> seen = new ArrayList<>();
    Function<List<String>, List<Prediction>> model = names -> {
      seen.addAll(names);
      return Fixtures.model(0.99f).apply(names);
    };
    NameJudge judge = new NameJudge(model, n -> n.endsWith("trusted.com"), 100);
    List<NameVerdict> v = judge.judge(Arrays.asList("A.Example.com.", "qwhdkeiruty", "4.3.2.1.in-addr.arpa",
        "x.trusted.com", "a.example.com", "_ldap._tcp.example.com", "bad name", null, "a.example.com"));
    assertEquals(List.of("a.example.com"), seen);
    assertEquals(1, judge.modelCalls());
    assertEquals(9, v.size());
    assertEquals("a.example.com", v.get(0).name());
    assertTrue(v.get(0).dga());
    assertEquals("fake", v.get(0).family());
    assertEquals(NameScope.SINGLE_LABEL, v.get(1).scope());
    assertTrue(Float.isNaN(v.get(1).score()));
    assertFalse(v.get(1).dga());
    assertEquals(NameScope.ARPA, v.get(2).scope());
    assertTrue(v.get(3).allowlisted());
    assertFalse(v.get(3).dga());
    assertEquals(NameScope.SERVICE, v.get(5).scope());
    assertFalse(v.get(6).ok());
    assertEquals(NameScope.REFUSED, v.get(7).scope());
    judge.judge(List.of("a.example.com", "A.Example.com."));
    assertEquals(1, judge.modelCalls(), "cached");
  }

  @Test
  void aModelThatLosesNamesIsAnError() {
    NameJudge judge = new NameJudge(names -> List.of(), n -> false, 10);
    assertThrows(IllegalStateException.class, () -> judge.judge("example.com"));
  }

  @Test
  void aBenignVerdictNamesNoFamily() {
    NameJudge judge = new NameJudge(names -> List.of(new Prediction(0.2f, false, "necurs", 0.9f, 3)), n -> false, 10);
    assertNull(judge.judge("example.com").family());
  }
}
