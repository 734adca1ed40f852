package io.dgadmesh.ingest;

import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Mnemonics of numeric query types and response codes, as dnsjava names them. */
final class DnsNames {
  private DnsNames() {}

  static String type(int value) {
    return value < 0 || value > 0xFFFF ? "" : Type.string(value);
  }

  static String rcode(int value) {
    return value < 0 || value > 0xFFF ? "" : Rcode.string(value);
  }
}
