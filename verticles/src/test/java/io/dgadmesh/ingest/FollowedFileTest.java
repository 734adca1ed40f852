package io.dgadmesh.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.testing.Poll;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A followed log: lines written later are read, and a rotation (rename, new file) loses nothing. */
@Timeout(30)
class FollowedFileTest {

  @Test
  void readsWhatIsAppendedAndGoesOnAfterARotation(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("dns.log");
    Files.writeString(log, "a.example\nb.example\n");
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicInteger idle = new AtomicInteger();
    CountDownLatch five = new CountDownLatch(5);
    FollowedFile in = new FollowedFile(log, idle::incrementAndGet);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          seen.add(line);
          five.countDown();
        }
      } catch (Exception e) {
        // closed by the test
      }
    });
    reader.start();
    Poll.await(20_000, "the first two lines, then an idle pause", () -> seen.size() == 2 && idle.get() > 0);
    Files.writeString(log, "c.example\n", StandardOpenOption.APPEND);
    Poll.await(20_000, "the appended line", () -> seen.size() == 3);
    Files.writeString(log, "d.example\n", StandardOpenOption.APPEND);
    Files.move(log, dir.resolve("dns.log.1")); // logrotate: the old file keeps its name's data
    Files.writeString(log, "e.example\n");
    assertTrue(five.await(20, TimeUnit.SECONDS), "read so far: " + seen);
    assertEquals(List.of("a.example", "b.example", "c.example", "d.example", "e.example"), seen);
    in.close();
    reader.interrupt();
    reader.join(5_000);
  }
}
