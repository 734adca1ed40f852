package io.dgadmesh.bus;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A result as one line of text in each output format users choose (jsonl, csv, txt): the same
 * lines from {@code dgad classify}, {@code dgad job results} and the jobs HTTP API.
 */
public final class ResultFormat {
  private ResultFormat() {}

  /**
   * The CSV header line (without its line break). {@code point} comes last, after {@code error}, so
   * that readers of the earlier six columns by position read what they read before.
   */
  public static final String CSV_HEADER = "domain,is_dga,score,family,family_score,error,point";

  public static String line(Bus.Result r, String format) {
    return switch (format) {
      case "csv" -> r.ok()
          ? String.join(",", csv(r.domain()), Boolean.toString(r.isDga()), Float.toString(r.score()),
              csv(r.family() == null ? "" : r.family()), Float.toString(r.familyScore()), "",
              csv(r.point() == null ? "" : r.point()))
          : String.join(",", csv(r.domain()), "", "", "", "", csv(r.error()), "");
      case "txt" -> r.ok()
          ? oneField(r.domain()) + "\t" + (r.isDga() ? "DGA" : "ok") + "\t" + String.format(Locale.ROOT, "%.4f", r.score())
              + (r.isDga() ? "\t" + r.family() : r.allowlisted() ? "\tallowlisted" : "")
          : oneField(r.domain()) + "\tinvalid\t" + oneField(r.error());
      default -> r.toJson().encode();
    };
  }

  /**
   * A name as given (or a reason), escaped so that it stays one tab-separated field on one line:
   * a name with a tab or a line break must not pass for more fields or more output lines.
   */
  public static String oneField(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        if (b == null) {
          b = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        b.append(switch (c) {
          case '\t' -> "\\t";
          case '\n' -> "\\n";
          case '\r' -> "\\r";
          case '\\' -> "\\\\";
          default -> String.format("\\x%02x", (int) c);
        });
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  /**
   * One CSV cell. A cell that starts like a formula ({@code =}, {@code +}, {@code -}, {@code @},
   * a tab or a carriage return) gets a leading {@code '}, so that a spreadsheet shows a hostile
   * name such as {@code =cmd|' /C calc'!A0} as text instead of running it (OWASP's advice for
   * CSV injection).
   */
  static String csv(String s) {
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /** Job results (JSON lines, as stored) as CSV lines. */
  public static String csvOfJsonLines(String jsonl) {
    StringBuilder b = new StringBuilder();
    for (String line : jsonl.split("\n")) {
      if (!line.isEmpty()) {
        b.append(line(Bus.Result.fromJson(new JsonObject(line)), "csv")).append('\n');
      }
    }
    return b.toString();
  }
}
