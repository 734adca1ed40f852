package io.dgadmesh.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A bench run rewrites its own table in bench/RESULTS.md and keeps the sections other runs wrote. */
class ResultsFileTest {

  @Test
  void theNewTableReplacesTheOldOneAndTheOtherSectionsStay() {
    String old = "# dgad-mesh bench\n\nold table\n\n## Soak\n\nsoak rows\n\n## Fuzz\n\nfuzz rows\n";
    assertEquals("# dgad-mesh bench\n\nnew table\n\n## Soak\n\nsoak rows\n\n## Fuzz\n\nfuzz rows\n",
        BenchCommand.withOtherSections("# dgad-mesh bench\n\nnew table\n", old));
    assertEquals("new\n", BenchCommand.withOtherSections("new\n", "# only a table\n"));
    assertEquals("new\n", BenchCommand.withOtherSections("new\n", ""));
    assertEquals("new\n\n## Soak\n", BenchCommand.withOtherSections("new\n", "## Soak\n"));
  }
}
