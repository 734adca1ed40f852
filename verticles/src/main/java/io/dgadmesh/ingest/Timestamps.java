package io.dgadmesh.ingest;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The time forms DNS logs use, read without regular expressions. Logs whose times carry no zone
 * (BIND's print-time, syslog) are read as UTC: the per-host windows need the order and spacing of
 * times, which a fixed zone keeps.
 */
final class Timestamps {
  /** Returned for a time that is present but unreadable (as opposed to absent). */
  static final long INVALID = Long.MAX_VALUE;

  /** Epoch numbers above this are taken as milliseconds: as seconds they would lie past 5000 AD. */
  private static final double MILLIS_THRESHOLD = 1e11;

  private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

  private Timestamps() {}

  /** Epoch seconds with an optional fraction ("1300000000.123456"), as Zeek writes them. */
  static long epochSecondsToMillis(byte[] b, int off, int len) {
    if (len == 0 || len > 30) {
      return INVALID;
    }
    int i = off;
    int end = off + len;
    long seconds = 0;
    int intDigits = 0;
    while (i < end && b[i] >= '0' && b[i] <= '9') {
      seconds = seconds * 10 + (b[i] - '0');
      i++;
      if (++intDigits > 15) {
        return INVALID;
      }
    }
    if (intDigits == 0) {
      return INVALID;
    }
    long millis = 0;
    if (i < end) {
      if (b[i] != '.') {
        return INVALID;
      }
      i++;
      int fracDigits = 0;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        if (fracDigits < 3) {
          millis = millis * 10 + (b[i] - '0');
        }
        fracDigits++;
        i++;
      }
      if (i != end) {
        return INVALID;
      }
      for (int d = fracDigits; d < 3; d++) {
        millis *= 10;
      }
    }
    return seconds * 1000 + millis;
  }

  /** An epoch number from JSON: seconds with a fraction, or milliseconds when it is that large. */
  static long epochNumberToMillis(double value) {
    if (Double.isNaN(value) || value < 0 || value > 1e15) {
      return INVALID;
    }
    return value > MILLIS_THRESHOLD ? (long) value : Math.round(value * 1000.0);
  }

  /**
   * ISO 8601 as Zeek ("2026-03-30T22:20:41.789170Z") and Suricata ("...T12:34:56.123456+0100")
   * write it; without an offset the time is UTC.
   */
  static long isoToMillis(String s) {
    if (s == null || s.length() < 19 || s.length() > 40) {
      return INVALID;
    }
    String text = s;
    int n = text.length();
    // Suricata writes the offset without a colon (+0100), which java.time's ISO parser refuses.
    if (n >= 5 && (text.charAt(n - 5) == '+' || text.charAt(n - 5) == '-') && allDigits(text, n - 4, n)) {
      text = text.substring(0, n - 2) + ":" + text.substring(n - 2);
    }
    try {
      char last = text.charAt(text.length() - 1);
      boolean hasOffset = last == 'Z' || last == 'z' || text.indexOf('+', 19) > 0 || text.indexOf('-', 19) > 0;
      if (hasOffset) {
        return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant().toEpochMilli();
      }
      return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      return INVALID;
    }
  }

  /**
   * The time at the start of a BIND or syslog line, and how many characters it took; the result
   * packs both as {@code [millis, length]}, with length 0 when the line starts with none.
   * Forms: BIND print-time "01-Dec-2026 12:00:00.123", syslog "Dec  1 12:00:00" (its year is
   * the current one, or the last when that would put the line more than two days ahead), and
   * RFC 3339 "2026-12-01T12:00:00.123+00:00" as rsyslog and journald write it.
   */
  static long[] leading(String line, long nowMillis) {
    long[] none = {DnsRecord.UNKNOWN_TIME, 0};
    if (line.length() < 15) {
      return none;
    }
    char c0 = line.charAt(0);
    if (c0 >= '0' && c0 <= '9') {
      if (line.length() >= 20 && line.charAt(2) == '-' && line.charAt(6) == '-' && line.charAt(11) == ' ') {
        return bindTime(line, none);
      }
      if (line.length() >= 19 && line.charAt(4) == '-' && line.charAt(10) == 'T') {
        int end = line.indexOf(' ');
        if (end < 0) {
          return none;
        }
        long t = isoToMillis(line.substring(0, end));
        return t == INVALID ? none : new long[] {t, end};
      }
      return none;
    }
    int month = month(line, 0);
    if (month > 0 && line.charAt(3) == ' ' && line.charAt(6) == ' ' && line.charAt(9) == ':') {
      int day = twoDigits(line, 4, true);
      int h = twoDigits(line, 7, false);
      int m = twoDigits(line, 10, false);
      int sec = twoDigits(line, 13, false);
      if (day < 1 || h < 0 || m < 0 || sec < 0 || line.charAt(12) != ':') {
        return none;
      }
      try {
        int year = LocalDateTime.ofEpochSecond(nowMillis / 1000, 0, ZoneOffset.UTC).getYear();
        long t = LocalDateTime.of(year, month, day, h, m, sec).toInstant(ZoneOffset.UTC).toEpochMilli();
        if (t > nowMillis + 2 * 86_400_000L) {
          t = LocalDateTime.of(year - 1, month, day, h, m, sec).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        return new long[] {t, 15};
      } catch (java.time.DateTimeException e) {
        return none;
      }
    }
    return none;
  }

  private static long[] bindTime(String line, long[] none) {
    int day = twoDigits(line, 0, false);
    int month = month(line, 3);
    int year = 0;
    for (int i = 7; i < 11; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        return none;
      }
      year = year * 10 + (c - '0');
    }
    int h = twoDigits(line, 12, false);
    int m = twoDigits(line, 15, false);
    int sec = twoDigits(line, 18, false);
    if (day < 1 || month < 1 || h < 0 || m < 0 || sec < 0 || line.charAt(14) != ':' || line.charAt(17) != ':') {
      return none;
    }
    int end = 20;
    int millis = 0;
    if (line.length() >= 24 && line.charAt(20) == '.') {
      int ms = 0;
      for (int i = 21; i < 24; i++) {
        char c = line.charAt(i);
        if (c < '0' || c > '9') {
          return none;
        }
        ms = ms * 10 + (c - '0');
      }
      millis = ms;
      end = 24;
    }
    try {
      long t = LocalDateTime.of(year, month, day, h, m, sec).toInstant(ZoneOffset.UTC).toEpochMilli();
      return new long[] {t + millis, end};
    } catch (java.time.DateTimeException e) {
      return none;
    }
  }

  private static int month(String s, int at) {
    if (s.length() < at + 3) {
      return -1;
    }
    String m = s.substring(at, at + 3);
    int i = MONTHS.indexOf(m);
    return i >= 0 && i % 3 == 0 ? i / 3 + 1 : -1;
  }

  /** Two digits at {@code at}; with {@code spacePadded}, a leading space stands for 0 (syslog days). */
  private static int twoDigits(String s, int at, boolean spacePadded) {
    char a = s.charAt(at);
    char b = s.charAt(at + 1);
    if (spacePadded && a == ' ') {
      a = '0';
    }
    if (a < '0' || a > '9' || b < '0' || b > '9') {
      return -1;
    }
    return (a - '0') * 10 + (b - '0');
  }

  private static boolean allDigits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
