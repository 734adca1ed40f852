package io.dgadmesh.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version Maven recorded in the jar; none when run from the build's classes. */
public final class Version implements IVersionProvider {

  private static final String POM = "/META-INF/maven/io.dgadmesh/dgad-verticles/pom.properties";

  @Override
  public String[] getVersion() throws IOException {
    try (InputStream in = Version.class.getResourceAsStream(POM)) {
      if (in == null) {
        return new String[] {"dgad-mesh (not run from a built jar: no version recorded)"};
      }
      Properties p = new Properties();
      p.load(in);
      return new String[] {"dgad-mesh " + p.getProperty("version")};
    }
  }
}
