package io.dgadmesh.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A {@code --remote HOST:PORT} value, checked when the command line is read. */
public record HostPort(String host, int port) {

  /** HOST:PORT with a port from 1 to 65535; the message says what is wrong. */
  public static HostPort parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 1 || colon == value.length() - 1) {
      throw new IllegalArgumentException("needs HOST:PORT, got '" + value + "'");
    }
    String port = value.substring(colon + 1);
    try {
      int p = Integer.parseInt(port);
      if (p >= 1 && p <= 65535) {
        return new HostPort(value.substring(0, colon), p);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("needs HOST:PORT with a port from 1 to 65535, got '" + value + "'");
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }

  /** For picocli: the error names the option ("Invalid value for option '--remote': needs HOST:PORT ..."). */
  public static final class Converter implements ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
