package io.dgadmesh.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.parsetools.JsonEvent;
import io.vertx.core.parsetools.JsonEventType;
import io.vertx.core.parsetools.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The names of a request body read as it arrives, buffer by buffer, never holding the body: one
 * name per line ({@link Lines}) or the entries of {@code {"domains": [...]}} ({@link JsonDomains}).
 * Each hands every name to a sink as soon as it is complete, and refuses the body by throwing the
 * {@link ApiSupport#refuse} error the client gets (the same messages as {@link ApiSupport#domains}).
 */
final class NameReaders {

  /** The longest entry taken (a line, or a string in the array): a host name has at most 253 characters. */
  static final int MAX_ENTRY = 4096;
  static final String SEND = "send {\"domains\": [\"example.com\", ...]}, or text/plain with one name per line";

  private NameReaders() {}

  /** Reads a body in parts: {@link #feed} each buffer as it arrives, then {@link #end}. */
  interface Reader {
    void feed(Buffer data);

    void end();
  }

  /** One name per line ({@code \n} or {@code \r\n}), stripped; blank lines are skipped. */
  static final class Lines implements Reader {
    private final Consumer<String> sink;
    /** The start of a line whose end has not arrived yet. */
    private Buffer partial = Buffer.buffer();
    private long line = 1;

    Lines(Consumer<String> sink) {
      this.sink = sink;
    }

    @Override
    public void feed(Buffer data) {
      int start = 0;
      for (int i = 0; i < data.length(); i++) {
        if (data.getByte(i) == '\n') {
          checkLength(partial.length() + i - start);
          String text = partial.length() == 0 ? data.getString(start, i, "UTF-8")
              : partial.appendBuffer(data, start, i - start).toString(StandardCharsets.UTF_8);
          partial = Buffer.buffer();
          name(text);
          start = i + 1;
        }
      }
      checkLength(partial.length() + data.length() - start);
      partial.appendBuffer(data, start, data.length() - start);
    }

    @Override
    public void end() {
      if (partial.length() > 0) {
        name(partial.toString(StandardCharsets.UTF_8));
        partial = Buffer.buffer();
      }
    }

    private void name(String text) {
      String name = text.strip();
      if (!name.isEmpty()) {
        sink.accept(name);
      }
      line++;
    }

    private void checkLength(long bytes) {
      if (bytes > MAX_ENTRY) {
        throw ApiSupport.refuse(400, "line " + line + " is longer than " + MAX_ENTRY
            + " bytes (a host name has at most 253 characters)");
      }
    }
  }

  /**
   * The entries of {@code {"domains": [...]}} (other members are skipped), from a streaming JSON
   * parser. An entry that is not a string refuses the body naming it, as {@link ApiSupport#strings}
   * does; its text is rebuilt from the parser's events, cut at 100 characters.
   */
  static final class JsonDomains implements Reader {
    private static final String NEEDS_ARRAY = "the body needs a \"domains\" array: " + SEND;

    private final Consumer<String> sink;
    private final JsonParser parser = JsonParser.newParser();
    private int depth;
    private boolean rootDone;
    private boolean inDomains;
    private boolean sawDomains;
    private long index;
    /** The entry that is not a string, as JSON so far (while one is open), and its open containers. */
    private StringBuilder echo;
    private final ArrayDeque<boolean[]> echoFirst = new ArrayDeque<>();
    private long events;
    private long bytesWithoutEvent;

    JsonDomains(Consumer<String> sink) {
      this.sink = sink;
      parser.handler(this::event);
    }

    @Override
    public void feed(Buffer data) {
      long before = events;
      try {
        parser.handle(data);
      } catch (DecodeException e) {
        throw ApiSupport.refuse(400, "malformed JSON: " + SEND);
      }
      // The parser keeps an unfinished token (a string, say) whole until it ends: bound it.
      bytesWithoutEvent = events == before ? bytesWithoutEvent + data.length() : 0;
      if (bytesWithoutEvent > MAX_ENTRY) {
        throw ApiSupport.refuse(400, "domains[" + index + "] (or some other JSON token) is longer than " + MAX_ENTRY
            + " bytes (a host name has at most 253 characters)");
      }
    }

    @Override
    public void end() {
      try {
        parser.end();
      } catch (DecodeException e) {
        throw ApiSupport.refuse(400, "malformed JSON: " + SEND);
      }
      if (!rootDone) {
        throw ApiSupport.refuse(400, "malformed JSON: " + SEND);
      }
      if (!sawDomains) {
        throw ApiSupport.refuse(400, NEEDS_ARRAY);
      }
    }

    private void event(JsonEvent e) {
      events++;
      JsonEventType type = e.type();
      if (echo != null) {
        echo(e);
        return;
      }
      if (depth == 0) {
        if (rootDone) {
          throw ApiSupport.refuse(400, "malformed JSON: more than one value: " + SEND);
        }
        if (type != JsonEventType.START_OBJECT) {
          throw ApiSupport.refuse(400, NEEDS_ARRAY);
        }
        depth = 1;
        return;
      }
      if (inDomains && depth == 2) {
        entry(e);
        return;
      }
      if (depth == 1 && "domains".equals(e.fieldName())) {
        if (type != JsonEventType.START_ARRAY) {
          throw ApiSupport.refuse(400, NEEDS_ARRAY);
        }
        inDomains = true;
        sawDomains = true;
      }
      switch (type) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> {
          depth--;
          rootDone = depth == 0;
        }
        default -> { } // a value of another member: skipped
      }
    }

    /** An event directly inside the domains array. */
    private void entry(JsonEvent e) {
      switch (e.type()) {
        case VALUE -> {
          Object value = e.value();
          if (!(value instanceof String name)) {
            throw notAString(Json.encode(value));
          }
          if (name.length() > MAX_ENTRY) {
            throw ApiSupport.refuse(400, "domains[" + index + "] is longer than " + MAX_ENTRY
                + " characters (a host name has at most 253)");
          }
          index++;
          sink.accept(name);
        }
        case END_ARRAY -> {
          inDomains = false;
          depth--;
        }
        default -> { // an object or an array in the list: refused once its text is known (or long enough)
          echo = new StringBuilder();
          echo(e);
        }
      }
    }

    /** Rebuilds the entry that is not a string as compact JSON (as {@code Json.encode} writes it). */
    private void echo(JsonEvent e) {
      JsonEventType type = e.type();
      boolean closing = type == JsonEventType.END_OBJECT || type == JsonEventType.END_ARRAY;
      if (!closing && !echoFirst.isEmpty()) {
        boolean[] first = echoFirst.peek();
        if (!first[0]) {
          echo.append(',');
        }
        first[0] = false;
      }
      if (!closing && e.fieldName() != null) {
        echo.append(Json.encode(e.fieldName())).append(':');
      }
      switch (type) {
        case START_OBJECT -> {
          echo.append('{');
          echoFirst.push(new boolean[] {true});
        }
        case START_ARRAY -> {
          echo.append('[');
          echoFirst.push(new boolean[] {true});
        }
        case END_OBJECT, END_ARRAY -> {
          echo.append(type == JsonEventType.END_OBJECT ? '}' : ']');
          echoFirst.pop();
        }
        default -> echo.append(Json.encode(e.value()));
      }
      if (echoFirst.isEmpty() || echo.length() > 100) {
        throw notAString(echo.toString());
      }
    }

    private RuntimeException notAString(String sent) {
      String shown = sent.length() <= 100 ? sent : sent.substring(0, 100) + "...";
      return ApiSupport.refuse(400, "not a string: " + shown + " (domains[" + index + "])");
    }
  }
}
