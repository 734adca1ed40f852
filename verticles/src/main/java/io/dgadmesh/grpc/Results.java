package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.bus.ShownName;
import io.dgadmesh.grpc.dgad3.Classification;
import io.dgadmesh.grpc.dgad4.Domain;
import io.dgadmesh.grpc.dgad4.Word;
import io.dgadmesh.grpc.v1.ClassifyResponse;
import io.dgadmesh.grpc.v1.Result;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.util.List;

/** Bus results to the three wire shapes, and failures to gRPC statuses. */
public final class Results {
  private Results() {}

  static final String NOT_APPLICABLE = "N/A";

  /** dgad 4.x: one Word for the whole name, family "N/A" when benign. */
  public static Domain dgad4(String fqdn, Bus.Result r) {
    String family = r.isDga() && r.family() != null ? r.family() : NOT_APPLICABLE;
    return Domain.newBuilder().setFqdn(fqdn).setIsDga(r.isDga()).setFamily(family)
        .addWords(Word.newBuilder().setValue(r.domain()).setBinaryScore(r.score())
            .setBinaryLabel(r.isDga() ? "DGA" : "benign").setFamilyScore(r.familyScore())
            .setFamilyLabel(family))
        .build();
  }

  static Classification dgad3(String fqdn, Bus.Result r) {
    return Classification.newBuilder().setFqdn(fqdn).setBinaryClassification(r.isDga() ? "DGA" : "ok").build();
  }

  static Result toProto(Bus.Result r) {
    Result.Builder b = Result.newBuilder().setDomain(r.domain() == null ? "" : r.domain());
    if (!r.ok()) {
      return b.setError(r.error()).build();
    }
    return b.setIsDga(r.isDga()).setScore(r.score()).setFamily(r.family() == null ? "" : r.family())
        .setFamilyScore(r.familyScore()).setAllowlisted(r.allowlisted()).setModel(r.model() == null ? "" : r.model())
        .build();
  }

  static ClassifyResponse toProto(List<Bus.Result> rs) {
    ClassifyResponse.Builder b = ClassifyResponse.newBuilder();
    for (Bus.Result r : rs) {
      b.addResults(toProto(r));
    }
    return b.build();
  }

  /** The single result of a one-name call, or INVALID_ARGUMENT with the reason. */
  static Future<Bus.Result> single(Future<List<Bus.Result>> f, String input) {
    return f.compose(rs -> {
      Bus.Result r = rs.get(0);
      if (!r.ok()) {
        return Future.failedFuture(invalidName(input, r.error()));
      }
      return Future.succeededFuture(r);
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
