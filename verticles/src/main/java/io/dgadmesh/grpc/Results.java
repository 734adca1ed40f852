package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.bus.ShownName;
import io.dgadmesh.grpc.dgad3.Classification;
import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.grpc.dgad4.Word;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.Result;
import io.dgadmesh.model.InputUnit;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.List;

/** Bus results to the three wire shapes, and failures to gRPC statuses. */
public final class Results {
  private Results() {}

  static final String NOT_APPLICABLE = "N/A";

  static final String DGA = "DGA";
  static final String BENIGN = "benign";

  /**
   * dgad 4.x for a name without subdomain words: one Word, the registrable label. The bench's
   * yardstick answers with it.
   */
  public static Domain dgad4(String fqdn, Bus.Result r) {
    return dgad4(fqdn, List.of(InputUnit.split(r.domain()).label()), List.of(r));
  }

  /**
   * dgad 4.x: one Word per value ({@link Dgad4Words}), each with its own result; {@code results}
   * holds one per word, the name's own first. The name's verdict and family are its own result's,
   * the registrable domain's, as at every other door (dgad's is_dga is true when any word is DGA,
   * its family the most confident DGA word's). A word's family is named only when the word is
   * DGA, with family_score 0 otherwise, as dgad fills them. When the allowlist covers the name,
   * every word is benign: it covers the name and everything under it; the scores stay.
   */
  static Domain dgad4(String fqdn, List<String> values, List<Bus.Result> results) {
    Bus.Result name = results.get(0);
    Domain.Builder d = Domain.newBuilder().setFqdn(fqdn).setIsDga(name.isDga()).setFamily(familyOf(name));
    for (int i = 0; i < values.size(); i++) {
      Bus.Result r = results.get(i);
      boolean dga = r.ok() && r.isDga() && !name.allowlisted();
      d.addWords(Word.newBuilder().setValue(values.get(i)).setBinaryScore(r.score())
          .setBinaryLabel(dga ? DGA : BENIGN).setFamilyScore(dga ? r.familyScore() : 0f)
          .setFamilyLabel(dga ? familyOf(r) : NOT_APPLICABLE));
    }
    return d.build();
  }

  private static String familyOf(Bus.Result r) {
    return r.isDga() && r.family() != null ? r.family() : NOT_APPLICABLE;
  }

  static Classification dgad3(String fqdn, Bus.Result r) {
    return Classification.newBuilder().setFqdn(fqdn).setBinaryClassification(r.isDga() ? DGA : "ok").build();
  }

  static Result toProto(Bus.Result r) {
    Result.Builder b = Result.newBuilder().setDomain(r.domain() == null ? "" : r.domain());
    if (!r.ok()) {
      return b.setError(r.error()).build();
    }
    return b.setIsDga(r.isDga()).setScore(r.score()).setFamily(r.family() == null ? "" : r.family())
        .setFamilyScore(r.familyScore()).setAllowlisted(r.allowlisted()).setModel(r.model() == null ? "" : r.model())
        .setPoint(r.point() == null ? "" : r.point()).build();
  }

  static ClassifyResponse toProto(List<Bus.Result> rs) {
    ClassifyResponse.Builder b = ClassifyResponse.newBuilder();
    for (Bus.Result r : rs) {
      b.addResults(toProto(r));
    }
    return b.build();
  }

  /**
   * The results of a single-name call (its name first, then what it asked besides), or
   * INVALID_ARGUMENT with the reason when its name is invalid.
   */
  static Future<List<Bus.Result>> firstValid(Future<List<Bus.Result>> f, String input) {
    return f.compose(rs -> {
      Bus.Result r = rs.get(0);
      if (!r.ok()) {
        return Future.failedFuture(invalidName(input, r.error()));
      }
      return Future.succeededFuture(rs);
    });
  }

  static StatusException invalidName(String input, String reason) {
    return new StatusException(GrpcStatus.INVALID_ARGUMENT, "invalid domain name '" + printable(input) + "': " + reason);
  }

  /**
   * The status a failure answers with: its own when it has one; RESOURCE_EXHAUSTED when the
   * classifiers refused the names because their queues are full ({@link Bus#OVERLOADED}); else
   * UNAVAILABLE (none deployed, timed out, failed): the client should retry.
   */
  static StatusException status(Throwable err) {
    if (err instanceof StatusException se) {
      return se;
    }
    if (err instanceof Gone) {
      return new StatusException(GrpcStatus.CANCELLED, "the client has gone");
    }
    if (err instanceof ReplyException re && re.failureCode() == Bus.OVERLOADED) {
      return new StatusException(GrpcStatus.RESOURCE_EXHAUSTED, "the classifiers are overloaded, retry later ("
          + ShownName.of(re.getMessage()) + ")");
    }
    String why = err instanceof ReplyException re ? re.failureType() + ": " + re.getMessage() : err.toString();
    return new StatusException(GrpcStatus.UNAVAILABLE, "classifier unavailable (" + ShownName.of(why) + ")");
  }

  /** Work not done because its client has gone: nobody reads its answer. */
  static final class Gone extends RuntimeException {
    static final Gone INSTANCE = new Gone();

    private Gone() {
      super("the client has gone", null, false, false);
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; s != null && i < s.length() && b.length() < 80; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
    }
    return b.toString();
  }
}
