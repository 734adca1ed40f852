package io.dgadmesh.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is in the cluster, oldest first. Clustered, this is Hazelcast's member list (join order:
 * the first member is the oldest, Hazelcast's own master); alone, just this process.
 */
public interface Membership {

  /** This process's member id (a Hazelcast member UUID when clustered). */
  String self();

  /** Member ids, oldest first. */
  List<String> oldestFirst();

  boolean clustered();

  /** The leader's member id: the oldest member. */
  default String leaderMember() {
    List<String> all = oldestFirst();
    return all.isEmpty() ? null : all.get(0);
  }

  default boolean isLeader() {
    return self().equals(leaderMember());
  }

  static Membership alone(String id) {
    return new Membership() {
      @Override
      public String self() {
        return id;
      }

      @Override
      public List<String> oldestFirst() {
        return List.of(id);
      }

      @Override
      public boolean clustered() {
        return false;
      }
    };
  }

  static Membership of(HazelcastInstance hz) {
    String self = hz.getCluster().getLocalMember().getUuid().toString();
    return new Membership() {
      @Override
      public String self() {
        return self;
      }

      @Override
      public List<String> oldestFirst() {
        if (!hz.getLifecycleService().isRunning()) {
          return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) {
          out.add(m.getUuid().toString());
        }
        return out;
      }

      @Override
      public boolean clustered() {
        return true;
      }
    };
  }
}
