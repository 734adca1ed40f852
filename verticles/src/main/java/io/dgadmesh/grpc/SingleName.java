package io.dgadmesh.grpc;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.grpc.WireNames.Sent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.StatusException;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * dgad's single-name call, as 3.x and 4.x have it: the name is field 1 of the request (read by
 * {@link WireNames}, so a name that is not UTF-8 gets INVALID_ARGUMENT like any other bad name),
 * classified through the door's coalescer; an invalid name gets INVALID_ARGUMENT with the reason.
 * A call may ask the classifiers for more than its name (dgad 4.x's words, {@link Dgad4Words}):
 * all of it goes in one request to the coalescer, so it costs one event-bus round trip as before.
 */
final class SingleName {
  private SingleName() {}

  /**
   * What one call asks the classifiers, and how their results make its reply.
   *
   * @param names  its name first (an invalid one fails the call with its reason), then any others
   * @param answer turns one result per name, in order, into the reply
   */
  record Question<Resp>(List<String> names, Function<List<Bus.Result>, Resp> answer) {}

  /** {@code answer} turns the name as sent and its result into the reply. */
  static <Resp> Handler<GrpcServerRequest<Sent, Resp>> handler(Function<List<String>, Future<List<Bus.Result>>> classify,
                                                               BiFunction<String, Bus.Result, Resp> answer) {
    return handler(classify, fqdn -> new Question<>(List.of(fqdn), rs -> answer.apply(fqdn, rs.get(0))));
  }

  /** {@code question} says, for the name as sent, what to classify and how to answer. */
  static <Resp> Handler<GrpcServerRequest<Sent, Resp>> handler(Function<List<String>, Future<List<Bus.Result>>> classify,
                                                               Function<String, Question<Resp>> question) {
    return request -> {
      Call<Resp> call = Call.of(request);
      request.handler(sent -> call.answer(classify(sent, classify, call, question)));
    };
  }

  private static <Resp> Future<Resp> classify(Sent sent, Function<List<String>, Future<List<Bus.Result>>> classify,
                                              Call<Resp> call, Function<String, Question<Resp>> question) {
    if (sent.malformed() != null) {
      return Future.failedFuture(new StatusException(GrpcStatus.INVALID_ARGUMENT, sent.malformed()));
    }
    int last = sent.size() - 1; // a field that is not repeated: its last value counts, as protobuf reads it
    String fqdn = last < 0 ? "" : sent.names().get(last);
    if (last >= 0 && !sent.isText(last)) {
      return Future.failedFuture(Results.invalidName(fqdn, WireNames.NOT_UTF8));
    }
    if (call.gone()) {
      return Future.failedFuture(Results.Gone.INSTANCE);
    }
    Question<Resp> q = question.apply(fqdn);
    return Results.firstValid(classify.apply(q.names()), fqdn).map(q.answer());
  }
}
