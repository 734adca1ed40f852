package io.dgadmesh.cli;

import io.dgadmesh.ingest.LogFormat;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --input-format}: a {@link LogFormat} by its id, with the list of ids in the error. */
final class LogFormats implements ITypeConverter<LogFormat>, Iterable<String> {
  @Override
  public LogFormat convert(String value) {
    try {
      return LogFormat.fromId(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  @Override
  public Iterator<String> iterator() {
    return Arrays.stream(LogFormat.values()).map(LogFormat::id).iterator();
  }
}
