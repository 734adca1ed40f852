package io.dgadmesh.redis;

import io.dgadmesh.bus.Bus;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Names as popped from Redis: their exact bytes, which are the keys the results go to (and the
 * members of the in-flight set), and their text for the classifier. A member that is not UTF-8
 * text cannot be a host name; it gets an invalid result here. Decoding it leniently instead would
 * write its result under other bytes, so it would never leave the in-flight set. A member spelled
 * like the todo set also gets an invalid result: its dgad-style SET would replace the set.
 */
final class PoppedNames {

  static final String NOT_UTF8 = "not UTF-8 text, so not a host name";
  static final String THE_QUEUE = "the name of the todo set itself (redis.set): its answer would overwrite the queue";

  private final List<byte[]> raw;
  private final List<String> toClassify;
  /** Per name, the invalid result given here, else null; null itself when every name is text. */
  private final List<Bus.Result> refused;
  private final int tooLong;

  private PoppedNames(List<byte[]> raw, List<String> toClassify, List<Bus.Result> refused, int tooLong) {
    this.raw = raw;
    this.toClassify = toClassify;
    this.refused = refused;
    this.tooLong = tooLong;
  }

  /**
   * {@code queue} is the todo set's key: dgad's answer for a name is a plain key of the same
   * name, so a member spelled like the set (a custom REDIS_SET that is a host name) is refused.
   * {@code tooLong} members of the same pop were refused by the pop script and are not among these.
   */
  static PoppedNames of(List<byte[]> raw, byte[] queue, int tooLong) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    List<String> text = new ArrayList<>(raw.size());
    List<Bus.Result> given = new ArrayList<>(raw.size());
    boolean anyRefused = false;
    for (byte[] b : raw) {
      String s = Arrays.equals(b, queue) ? null : decode(b, utf8);
      if (s != null) {
        text.add(s);
        given.add(null);
      } else {
        given.add(Bus.Result.invalid(new String(b, StandardCharsets.UTF_8), Arrays.equals(b, queue) ? THE_QUEUE : NOT_UTF8));
        anyRefused = true;
      }
    }
    return new PoppedNames(raw, text, anyRefused ? given : null, tooLong);
  }

  private static String decode(byte[] bytes, CharsetDecoder utf8) {
    if (isAscii(bytes)) {
      return new String(bytes, StandardCharsets.ISO_8859_1); // the common case, and the cheapest
    }
    try {
      return utf8.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** True when the pop brought nothing: the todo set was empty (refused members count as work done). */
  boolean isEmpty() {
    return raw.isEmpty() && tooLong == 0;
  }

  /** How many members the pop script refused as longer than redis.maxNameBytes. */
  int tooLong() {
    return tooLong;
  }

  int size() {
    return raw.size();
  }

  /** The exact bytes of the i-th name: the key its result is written under. */
  byte[] key(int i) {
    return raw.get(i);
  }

  /** The names the classifier must see (the text ones), in order. */
  List<String> toClassify() {
    return toClassify;
  }

  /** One result per popped name: the classifier's for the text ones, the refusals given here for the rest. */
  List<Bus.Result> results(List<Bus.Result> classified) {
    return refused == null ? classified : Bus.inInputOrder(refused, classified);
  }
}
