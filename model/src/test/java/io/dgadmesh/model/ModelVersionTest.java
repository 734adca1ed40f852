package io.dgadmesh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A model's version: the trainer's declared version and a hash of the file, so no two files share one. */
class ModelVersionTest {

  @Test
  void shippedModelCarriesItsDeclaredVersionAndItsContentHash() {
    byte[] bytes = DgaModel.defaultBytes();
    try (DgaModel m = DgaModel.load(bytes, 1)) {
      ModelVersion v = m.version();
      assertEquals(m.spec().version(), v.declared());
      assertEquals(ModelVersion.HASH_HEX, v.contentHash().length());
      assertTrue(v.contentHash().matches("[0-9a-f]+"), v.contentHash());
      assertEquals(m.spec().version() + "@" + v.contentHash(), v.id());
      assertSame(m, m.check(), "the shipped model passes its own probe");
    }
  }

  @Test
  void differentBytesAreDifferentVersionsEvenUnderOneDeclaredVersion() {
    byte[] a = DgaModel.defaultBytes();
    byte[] b = Arrays.copyOf(a, a.length);
    b[b.length - 1] ^= 1;
    assertEquals(ModelVersion.of("1.0.0", a), ModelVersion.of("1.0.0", a.clone()));
    assertNotEquals(ModelVersion.of("1.0.0", a).id(), ModelVersion.of("1.0.0", b).id());
  }
}
