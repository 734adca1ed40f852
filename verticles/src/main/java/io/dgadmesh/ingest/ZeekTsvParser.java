package io.dgadmesh.ingest;

import java.util.List;
import java.util.function.Consumer;

/**
 * Zeek's {@code dns.log} in its TSV form. The header lines ({@code #separator}, {@code
 * #set_separator}, {@code #empty_field}, {@code #unset_field}, {@code #fields}) are honoured, so
 * columns are found by name in whatever order {@code #fields} gives them, and a new header in the
 * middle (logs concatenated) takes effect from there. Fields read: {@code ts} (epoch seconds),
 * {@code id.orig_h} (the client), {@code query}, {@code qtype_name} (else {@code qtype}), {@code
 * rcode_name} (else {@code rcode}) and {@code answers}.
 *
 * <p>This is the hot path of {@code dgad hosts}: a data line is split in place, with no regular
 * expression and no String but those the record keeps (repeating ones shared through an {@link
 * Interner}).
 */
final class ZeekTsvParser implements LineParser {
  private static final int MAX_FIELDS = 256;

  private byte separator = '\t';
  private byte setSeparator = ',';
  private byte[] emptyField = bytes("(empty)");
  private byte[] unsetField = bytes("-");

  private boolean haveFields;
  private int fieldCount;
  private int tsCol = -1;
  private int clientCol = -1;
  private int queryCol = -1;
  private int qtypeNameCol = -1;
  private int qtypeCol = -1;
  private int rcodeNameCol = -1;
  private int rcodeCol = -1;
  private int answersCol = -1;
  private String headerProblem;

  private final int[] starts = new int[MAX_FIELDS];
  private final int[] ends = new int[MAX_FIELDS];
  private final Interner small = new Interner(512);
  private final Interner clients = new Interner(8192);

  @Override
  public LineOutcome parse(byte[] b, int off, int len, Consumer<DnsRecord> out) {
    if (len == 0) {
      return LineOutcome.SKIPPED;
    }
    if (b[off] == '#') {
      return header(b, off, len);
    }
    if (!haveFields) {
      return LineOutcome.malformed("data line before a #fields header");
    }
    if (headerProblem != null) {
      return LineOutcome.malformed(headerProblem);
    }
    int n = split(b, off, len);
    if (n != fieldCount) {
      return LineOutcome.malformed(n + " fields where #fields names " + fieldCount);
    }
    int qs = starts[queryCol];
    int ql = ends[queryCol] - qs;
    if (isUnset(b, qs, ql) || isEmpty(b, qs, ql)) {
      return LineOutcome.SKIPPED;
    }
    if (b[qs + ql - 1] == '.') {
      ql--;
    }
    if (ql == 0) {
      return LineOutcome.SKIPPED;
    }
    if (ql > Text.MAX_NAME_BYTES) {
      return LineOutcome.overLimit(Text.OVER_LONG_NAME);
    }
    long time = DnsRecord.UNKNOWN_TIME;
    if (tsCol >= 0 && !isUnset(b, starts[tsCol], ends[tsCol] - starts[tsCol])) {
      time = Timestamps.epochSecondsToMillis(b, starts[tsCol], ends[tsCol] - starts[tsCol]);
      if (time == Timestamps.INVALID) {
        return LineOutcome.malformed("ts is not epoch seconds: " + shown(b, tsCol));
      }
    }
    String client = clientCol < 0 ? "" : value(clients, b, clientCol);
    String qtype = qtypeNameCol >= 0 ? value(small, b, qtypeNameCol) : "";
    if (qtype.isEmpty() && qtypeCol >= 0) {
      qtype = numbered(b, qtypeCol, true);
    }
    String rcode = rcodeNameCol >= 0 ? value(small, b, rcodeNameCol) : "";
    if (rcode.isEmpty() && rcodeCol >= 0) {
      rcode = numbered(b, rcodeCol, false);
    }
    List<String> answers = answersCol < 0 ? List.of() : answers(b, starts[answersCol], ends[answersCol]);
    out.accept(new DnsRecord(time, client, Text.string(b, qs, ql), qtype, rcode, answers));
    return LineOutcome.ACCEPTED;
  }

  private int split(byte[] b, int off, int len) {
    int n = 0;
    int start = off;
    int end = off + len;
    byte sep = separator;
    for (int i = off; i < end; i++) {
      if (b[i] == sep) {
        if (n == MAX_FIELDS) {
          return n + 1;
        }
        starts[n] = start;
        ends[n++] = i;
        start = i + 1;
      }
    }
    if (n == MAX_FIELDS) {
      return n + 1;
    }
    starts[n] = start;
    ends[n++] = end;
    return n;
  }

  private String value(Interner interner, byte[] b, int col) {
    int s = starts[col];
    int l = ends[col] - s;
    if (isUnset(b, s, l) || isEmpty(b, s, l)) {
      return "";
    }
    return interner.get(b, s, l);
  }

  /** A numeric qtype or rcode column, as its mnemonic (the _name column is the usual source). */
  private String numbered(byte[] b, int col, boolean isType) {
    int s = starts[col];
    int l = ends[col] - s;
    if (l == 0 || l > 5 || isUnset(b, s, l)) {
      return "";
    }
    int v = 0;
    for (int i = s; i < s + l; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return "";
      }
      v = v * 10 + (b[i] - '0');
    }
    return isType ? DnsNames.type(v) : DnsNames.rcode(v);
  }

  private List<String> answers(byte[] b, int s, int e) {
    int l = e - s;
    if (l == 0 || isUnset(b, s, l) || isEmpty(b, s, l)) {
      return List.of();
    }
    int count = 1;
    for (int i = s; i < e; i++) {
      if (b[i] == setSeparator) {
        count++;
      }
    }
    // Built straight into an immutable list, which DnsRecord then keeps without another copy.
    String[] items = new String[count];
    int n = 0;
    int start = s;
    for (int i = s; i <= e; i++) {
      if (i == e || b[i] == setSeparator) {
        if (i > start) {
          items[n++] = Text.string(b, start, i - start);
        }
        start = i + 1;
      }
    }
    return n == count ? List.of(items) : List.of(java.util.Arrays.copyOf(items, n));
  }

  private LineOutcome header(byte[] b, int off, int len) {
    if (Text.startsWithAscii(b, off, len, "#separator ")) {
      byte[] sep = unescape(Text.string(b, off + 11, len - 11).trim());
      if (sep.length != 1) {
        return LineOutcome.malformed("only a one-byte #separator is read");
      }
      separator = sep[0];
      return LineOutcome.SKIPPED;
    }
    int n = split(b, off, len);
    if (n < 2) {
      return LineOutcome.SKIPPED;
    }
    int keyStart = starts[0];
    int keyLen = ends[0] - keyStart;
    if (Text.equalsAscii(b, keyStart, keyLen, "#set_separator")) {
      byte[] v = unescape(Text.string(b, starts[1], ends[1] - starts[1]));
      if (v.length == 1) {
        setSeparator = v[0];
      }
    } else if (Text.equalsAscii(b, keyStart, keyLen, "#empty_field")) {
      emptyField = unescape(Text.string(b, starts[1], ends[1] - starts[1]));
    } else if (Text.equalsAscii(b, keyStart, keyLen, "#unset_field")) {
      unsetField = unescape(Text.string(b, starts[1], ends[1] - starts[1]));
    } else if (Text.equalsAscii(b, keyStart, keyLen, "#fields")) {
      fields(b, n);
    }
    return LineOutcome.SKIPPED;
  }

  private void fields(byte[] b, int n) {
    haveFields = true;
    fieldCount = n - 1;
    tsCol = clientCol = queryCol = qtypeNameCol = qtypeCol = rcodeNameCol = rcodeCol = answersCol = -1;
    headerProblem = null;
    if (n > MAX_FIELDS) {
      headerProblem = "#fields names more than " + (MAX_FIELDS - 1) + " columns";
      return;
    }
    for (int i = 1; i < n; i++) {
      String name = Text.string(b, starts[i], ends[i] - starts[i]);
      int col = i - 1;
      switch (name) {
        case "ts" -> tsCol = col;
        case "id.orig_h" -> clientCol = col;
        case "query" -> queryCol = col;
        case "qtype_name" -> qtypeNameCol = col;
        case "qtype" -> qtypeCol = col;
        case "rcode_name" -> rcodeNameCol = col;
        case "rcode" -> rcodeCol = col;
        case "answers" -> answersCol = col;
        default -> { }
      }
    }
    if (queryCol < 0) {
      headerProblem = "#fields has no query column: not a dns.log";
    }
  }

  private boolean isUnset(byte[] b, int s, int l) {
    return l == unsetField.length && java.util.Arrays.equals(b, s, s + l, unsetField, 0, l);
  }

  private boolean isEmpty(byte[] b, int s, int l) {
    return l == emptyField.length && java.util.Arrays.equals(b, s, s + l, emptyField, 0, l);
  }

  private String shown(byte[] b, int col) {
    int l = Math.min(ends[col] - starts[col], 40);
    return Text.string(b, starts[col], l);
  }

  /** Zeek writes header values with \xHH escapes ("\x09" for a tab). */
  static byte[] unescape(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
        int hi = Character.digit(s.charAt(i + 2), 16);
        int lo = Character.digit(s.charAt(i + 3), 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 3;
          continue;
        }
      }
      byte[] enc = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.write(enc, 0, enc.length);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
