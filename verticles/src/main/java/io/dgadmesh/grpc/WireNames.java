package io.dgadmesh.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the names of a request message leniently. protobuf-java refuses a whole message when one
 * of its proto3 string fields is not UTF-8, and Vert.x answers a message it cannot decode by
 * resetting the stream: the client saw CANCELLED and a batch lost every name for one bad one.
 * These decoders read the name field as bytes instead (skipping the other fields), so a name that
 * is not UTF-8 gets its own refusal: INVALID_ARGUMENT on a single-name call, a per-name error in a
 * batch. They never throw: a message that is not protobuf at all becomes {@link Sent#malformed}.
 */
final class WireNames {

  static final String NOT_UTF8 = "not UTF-8 text, so not a host name";

  private WireNames() {}

  /**
   * The names of one message as sent. {@code notUtf8} marks the names whose bytes were not UTF-8
   * (their text is a lenient reading, for showing them); null when every name is text.
   * {@code malformed} says why the message could not be read at all, else null.
   */
  record Sent(List<String> names, BitSet notUtf8, String malformed) {

    static Sent malformed(String why) {
      return new Sent(List.of(), null, why);
    }

    int size() {
      return names.size();
    }

    boolean isText(int i) {
      return notUtf8 == null || !notUtf8.get(i);
    }
  }

  /**
   * A decoder of field {@code field} (a string, repeated or not) of a message; JSON messages
   * (gRPC-web, application/grpc+json) go through protobuf's JSON parser and {@code namesOf}.
   */
  static <M extends Message> GrpcMessageDecoder<Sent> decoder(int field, M defaultInstance,
                                                              Function<M, List<String>> namesOf) {
    GrpcMessageDecoder<M> json = GrpcMessageDecoder.decoder(defaultInstance);
    return new GrpcMessageDecoder<>() {
      @Override
      public Sent decode(GrpcMessage msg) {
        if (msg.format() == io.vertx.grpc.common.WireFormat.JSON) {
          try {
            return new Sent(namesOf.apply(json.decode(msg)), null, null);
          } catch (RuntimeException e) {
            return Sent.malformed("not a valid JSON message: " + e.getMessage());
          }
        }
        return read(msg.payload().getBytes(), field);
      }

      @Override
      public boolean accepts(io.vertx.grpc.common.WireFormat format) {
        return true;
      }
    };
  }

  /** The values of string field {@code field} in a protobuf message, in order. */
  static Sent read(byte[] bytes, int field) {
    List<String> names = new ArrayList<>();
    BitSet notUtf8 = null;
    CharsetDecoder utf8 = null;
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    try {
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          break;
        }
        if (WireFormat.getTagFieldNumber(tag) != field || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          in.skipField(tag);
          continue;
        }
        int size = in.readRawVarint32();
        int at = in.getTotalBytesRead();
        if (size < 0 || size > bytes.length - at) {
          throw new InvalidProtocolBufferException("a field runs past the end of the message");
        }
        if (isAscii(bytes, at, size)) {
          names.add(new String(bytes, at, size, StandardCharsets.ISO_8859_1)); // the common case, and the cheapest
        } else {
          if (utf8 == null) {
            utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
          }
          try {
            names.add(utf8.decode(ByteBuffer.wrap(bytes, at, size)).toString());
          } catch (CharacterCodingException e) {
            if (notUtf8 == null) {
              notUtf8 = new BitSet();
            }
            notUtf8.set(names.size());
            names.add(new String(bytes, at, size, StandardCharsets.UTF_8)); // for showing it
          }
        }
        in.skipRawBytes(size);
      }
    } catch (java.io.IOException e) {
      return Sent.malformed("not a valid protobuf message: " + e.getMessage());
    }
    return new Sent(names, notUtf8, null);
  }

  private static boolean isAscii(byte[] b, int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (b[i] < 0) {
        return false;
      }
    }
    return true;
  }
}
