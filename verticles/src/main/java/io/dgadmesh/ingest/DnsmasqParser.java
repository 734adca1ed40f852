package io.dgadmesh.ingest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.xbill.DNS.ReverseMap;

/**
 * dnsmasq's {@code log-queries} lines, plain or {@code log-queries=extra}, with or without the
 * syslog prefix:
 * <pre>
 * Dec  1 12:58:33 dnsmasq[12171]: query[A] www.example.test from 127.0.0.1
 * Dec  1 12:58:33 dnsmasq[12171]: reply www.example.test is 192.0.2.10
 * Dec  1 12:58:42 dnsmasq[12473]: 5 127.0.0.1/51522 reply nope.example.test is NXDOMAIN
 * </pre>
 * A query line opens a lookup; its answer comes on a later {@code reply}, {@code cached}, {@code
 * config} or hosts-file line, which names no client. With {@code extra}, the serial number pairs
 * them exactly. Without it, an answer goes to the waiting queries for its name (a PTR answer names
 * the address, which is turned back into its arpa name; an address answers only the matching A or
 * AAAA query). The answer lines that directly follow (a CNAME chain, several addresses) add their
 * data, and the record goes out at the first line that is not one of them. A query whose answer
 * never comes ("reply error is REFUSED" names no query without {@code extra}) goes out with rcode ""
 * when it leaves the bounded {@link PendingQueries} window, or at the end of the input.
 */
final class DnsmasqParser implements LineParser {
  private final PendingQueries<Long> pending;
  private final Interner clients = new Interner(8192);
  private final List<PendingQueries.Query> open = new ArrayList<>(2);
  private long openSerial = -1;
  private String openName = "";
  private boolean openChained;
  private long sequence;
  private long line;

  DnsmasqParser() {
    this(new PendingQueries<>());
  }

  DnsmasqParser(PendingQueries<Long> pending) {
    this.pending = pending;
  }

  @Override
  public LineOutcome parse(byte[] buf, int off, int len, Consumer<DnsRecord> out) {
    line++;
    String text = Text.string(buf, off, len);
    long[] lead = Timestamps.leading(text, System.currentTimeMillis());
    long time = lead[0];
    String msg = message(text, (int) lead[1]);
    if (msg == null) {
      return LineOutcome.SKIPPED;
    }
    pending.expire(line, time, out);
    long serial = -1;
    int sp = msg.indexOf(' ');
    if (sp > 0 && allDigits(msg, 0, sp)) {
      int sp2 = msg.indexOf(' ', sp + 1);
      if (sp2 > sp && msg.lastIndexOf('/', sp2) > sp) {
        serial = sp > 18 ? -1 : Long.parseLong(msg.substring(0, sp));
        msg = msg.substring(sp2 + 1);
      }
    }
    if (msg.startsWith("query[")) {
      flushOpen(out);
      return query(msg, serial, time, out);
    }
    String verb = answerVerb(msg);
    if (verb == null) {
      if (!msg.startsWith("forwarded ")) {
        // Another line of dnsmasq (DHCP, start-up, DNSSEC): the answer lines are over.
        flushOpen(out);
      }
      return LineOutcome.SKIPPED;
    }
    return answer(msg, verb, serial, out);
  }

  @Override
  public void endOfInput(Consumer<DnsRecord> out) {
    flushOpen(out);
    pending.releaseAll(out);
  }

  /** The message after the syslog prefix, or null for a line of another program. */
  private static String message(String text, int afterTime) {
    int colon = text.indexOf(": ");
    if (colon > 0) {
      String head = text.substring(0, colon);
      if (head.contains("dnsmasq")) {
        return text.substring(colon + 2);
      }
      if (head.endsWith("]") && head.lastIndexOf('[') > 0 && head.indexOf(' ', Math.max(afterTime, 0)) >= 0) {
        return null;
      }
    }
    return text.substring(afterTime).trim();
  }

  private LineOutcome query(String msg, long serial, long time, Consumer<DnsRecord> out) {
    int close = msg.indexOf(']');
    int from = msg.lastIndexOf(" from ");
    if (close < 0 || from < close + 2 || msg.charAt(close + 1) != ' ') {
      return LineOutcome.malformed("query line without \"] NAME from CLIENT\"");
    }
    String type = msg.substring(6, close);
    if (type.startsWith("type=")) {
      type = number(type.substring(5));
    }
    String name = Text.queryName(msg.substring(close + 2, from));
    String client = msg.substring(from + 6);
    int end = client.indexOf(' ');
    if (end >= 0) {
      client = client.substring(0, end);
    }
    int slash = client.indexOf('/');
    if (slash > 0) {
      client = client.substring(0, slash);
    }
    if (name == null) {
      return LineOutcome.SKIPPED;
    }
    if (Text.overLong(name)) {
      return LineOutcome.overLimit(Text.OVER_LONG_NAME);
    }
    byte[] c = client.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    PendingQueries.Query q = new PendingQueries.Query(time, clients.get(c, 0, c.length), name, type, line);
    long key = serial >= 0 ? serial : -(++sequence);
    if (!pending.add(key, q, out)) {
      out.accept(q.toRecord());
    }
    return LineOutcome.ACCEPTED;
  }

  private LineOutcome answer(String msg, String verb, long serial, Consumer<DnsRecord> out) {
    int is = msg.indexOf(" is ", verb.length());
    if (is < 0) {
      return LineOutcome.malformed(verb.trim() + " line without \" is \"");
    }
    String subject = msg.substring(verb.length(), is);
    String value = msg.substring(is + 4);
    boolean continues = !open.isEmpty() && (serial >= 0
        ? serial == openSerial
        : (openChained || subject.equalsIgnoreCase(openName)) && open.stream().anyMatch(q -> answers(q.qtype, value)));
    if (continues) {
      for (PendingQueries.Query q : open) {
        addAnswer(q, value);
      }
      openChained = value.equals("<CNAME>");
      return LineOutcome.ACCEPTED;
    }
    flushOpen(out);
    List<PendingQueries.Query> answered;
    if (serial >= 0) {
      PendingQueries.Query q = pending.remove(serial);
      answered = q == null ? List.of() : List.of(q);
    } else if (subject.equals("error")) {
      // "reply error is REFUSED" names no query: without extra it cannot be placed.
      return LineOutcome.ACCEPTED;
    } else {
      String name = arpaName(subject);
      answered = pending.removeWhere(q -> q.name.equalsIgnoreCase(name) && answers(q.qtype, value));
    }
    if (answered.isEmpty()) {
      return LineOutcome.ACCEPTED;
    }
    for (PendingQueries.Query q : answered) {
      q.rcode = rcode(value);
      addAnswer(q, value);
      open.add(q);
    }
    openSerial = serial;
    openName = subject;
    openChained = value.equals("<CNAME>");
    return LineOutcome.ACCEPTED;
  }

  private void flushOpen(Consumer<DnsRecord> out) {
    for (PendingQueries.Query q : open) {
      out.accept(q.toRecord());
    }
    open.clear();
    openSerial = -1;
    openName = "";
    openChained = false;
  }

  /** The answer verbs: reply, cached (and cached-stale), config, and a hosts file's path. */
  private static String answerVerb(String msg) {
    for (String verb : new String[] {"reply ", "cached ", "cached-stale ", "config "}) {
      if (msg.startsWith(verb)) {
        return verb;
      }
    }
    if (msg.startsWith("/")) {
      int sp = msg.indexOf(' ');
      return sp > 0 ? msg.substring(0, sp + 1) : null;
    }
    return null;
  }

  private static String rcode(String value) {
    return switch (value) {
      case "NXDOMAIN" -> DnsRecord.NXDOMAIN;
      case "SERVFAIL", "REFUSED", "NOTIMP", "FORMERR" -> value;
      default -> "NOERROR";
    };
  }

  private static void addAnswer(PendingQueries.Query q, String value) {
    boolean data = !value.isEmpty() && !value.startsWith("<") && !value.startsWith("NODATA")
        && !value.equals("NXDOMAIN") && !value.equals("SERVFAIL") && !value.equals("REFUSED");
    if (data && q.answers.size() < 64) {
      q.answers.add(value);
    }
  }

  /** Whether an answer value can answer a query of this type: addresses only their A or AAAA. */
  private static boolean answers(String qtype, String value) {
    if (value.equals("NODATA-IPv4") || isIpv4(value)) {
      return qtype.equals("A");
    }
    if (value.equals("NODATA-IPv6") || (value.indexOf(':') >= 0 && isIpv6(value))) {
      return qtype.equals("AAAA");
    }
    return true;
  }

  /** A PTR answer names the address: the query was for its arpa name. */
  private static String arpaName(String subject) {
    if (isIpv4(subject) || (subject.indexOf(':') >= 0 && isIpv6(subject))) {
      try {
        String arpa = ReverseMap.fromAddress(InetAddress.getByName(subject)).toString();
        return arpa.endsWith(".") ? arpa.substring(0, arpa.length() - 1) : arpa;
      } catch (UnknownHostException e) {
        return subject;
      }
    }
    return subject;
  }

  private static boolean isIpv4(String s) {
    int dots = 0;
    if (s.isEmpty() || s.length() > 15) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        dots++;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return dots == 3;
  }

  private static boolean isIpv6(String s) {
    if (s.length() < 2 || s.length() > 45) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = Character.toLowerCase(s.charAt(i));
      if (!(c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static String number(String digits) {
    if (digits.isEmpty() || digits.length() > 5 || !allDigits(digits, 0, digits.length())) {
      return digits.toUpperCase(Locale.ROOT);
    }
    return DnsNames.type(Integer.parseInt(digits));
  }

  private static boolean allDigits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return to > from;
  }
}
