package io.dgadmesh.ingest;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV with a header line, read by Apache Commons CSV one line at a time (so the line limit holds;
 * a quoted field cannot span lines). The delimiter is the first of comma, tab or semicolon found in
 * the header. Columns are found by name ({@link CsvColumns}); a data line without a value in the
 * name column is malformed.
 */
final class CsvParser implements LineParser {
  private final CsvColumns columns;
  private CSVFormat format;
  private int nameCol = -1;
  private int clientCol = -1;
  private int timeCol = -1;
  private int rcodeCol = -1;
  private int qtypeCol = -1;
  private String headerProblem;

  CsvParser(CsvColumns columns) {
    this.columns = columns == null ? CsvColumns.AUTO : columns;
  }

  @Override
  public LineOutcome parse(byte[] buf, int off, int len, Consumer<DnsRecord> out) {
    String line = Text.string(buf, off, len);
    if (line.isBlank()) {
      return LineOutcome.SKIPPED;
    }
    if (format == null) {
      return header(line);
    }
    if (headerProblem != null) {
      return LineOutcome.malformed(headerProblem);
    }
    List<String> values;
    try {
      values = values(line);
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      return LineOutcome.malformed("not CSV: " + Json.brief(e));
    }
    if (values == null) {
      return LineOutcome.SKIPPED;
    }
    if (nameCol >= values.size()) {
      return LineOutcome.malformed("no value in the name column (" + values.size() + " fields)");
    }
    String name = Text.queryName(values.get(nameCol).trim());
    if (name == null) {
      return LineOutcome.malformed("an empty name");
    }
    if (Text.overLong(name)) {
      return LineOutcome.overLimit(Text.OVER_LONG_NAME);
    }
    long time = DnsRecord.UNKNOWN_TIME;
    String ts = field(values, timeCol);
    if (!ts.isEmpty()) {
      time = time(ts);
      if (time == Timestamps.INVALID) {
        return LineOutcome.malformed("time is neither an epoch number nor ISO 8601");
      }
    }
    out.accept(new DnsRecord(time, field(values, clientCol), name, field(values, qtypeCol),
        field(values, rcodeCol).toUpperCase(Locale.ROOT), List.of()));
    return LineOutcome.ACCEPTED;
  }

  private LineOutcome header(String line) {
    char delimiter = ',';
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == ',' || c == '\t' || c == ';') {
        delimiter = c;
        break;
      }
    }
    format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).get();
    List<String> names;
    try {
      names = values(line);
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      headerProblem = "the header is not CSV";
      return LineOutcome.malformed(headerProblem);
    }
    if (names == null) {
      names = List.of();
    }
    nameCol = find(names, columns.name(), CsvColumns.NAME);
    clientCol = find(names, columns.client(), CsvColumns.CLIENT);
    timeCol = find(names, columns.time(), CsvColumns.TIME);
    rcodeCol = find(names, columns.rcode(), CsvColumns.RCODE);
    qtypeCol = find(names, columns.qtype(), CsvColumns.QTYPE);
    if (nameCol < 0) {
      headerProblem = columns.name() != null
          ? "the header has no column " + columns.name()
          : "the header has none of the name columns " + CsvColumns.NAME;
    }
    return LineOutcome.SKIPPED;
  }

  private List<String> values(String line) throws IOException {
    try (CSVParser parser = CSVParser.parse(new StringReader(line), format)) {
      Iterator<CSVRecord> it = parser.iterator();
      if (!it.hasNext()) {
        return null;
      }
      return it.next().toList();
    }
  }

  private static int find(List<String> header, String wanted, List<String> usual) {
    if (wanted != null) {
      return indexOf(header, wanted);
    }
    for (String name : usual) {
      int i = indexOf(header, name);
      if (i >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOf(List<String> header, String name) {
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).trim().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String field(List<String> values, int col) {
    return col >= 0 && col < values.size() ? values.get(col).trim() : "";
  }

  private static long time(String ts) {
    char c = ts.charAt(0);
    if (c >= '0' && c <= '9' && ts.indexOf('-') < 0 && ts.indexOf(':') < 0) {
      try {
        return Timestamps.epochNumberToMillis(Double.parseDouble(ts));
      } catch (NumberFormatException e) {
        return Timestamps.INVALID;
      }
    }
    return Timestamps.isoToMillis(ts);
  }
}
