package io.dgadmesh.trainer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The trainer stands on the model module alone: none of the node's stack is on its class path. */
class ClassPathTest {

  @Test
  void modelWithoutTheNode() {
    assertDoesNotThrow(() -> Class.forName("io.dgadmesh.model.DgaModel"));
    for (String nodeClass : new String[] {"io.vertx.core.Vertx", "com.hazelcast.core.Hazelcast",
        "io.dgadmesh.bus.Bus", "io.netty.channel.Channel", "io.grpc.Channel"}) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(nodeClass), nodeClass + " is on the trainer's class path");
    }
  }
}
