package io.dgadmesh.web;

import static io.dgadmesh.testing.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.Bus;
import io.dgadmesh.testing.Names;
import io.dgadmesh.testing.Poll;
import io.dgadmesh.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in real headless Chromium (the system packages chromium and chromium-driver,
 * never a downloaded browser) against a real node and redis-server.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

  static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");
  static final String HOSTILE = "<img src=x onerror=alert(1)>.com";

  private static TestNode node;
  private static ChromeDriver driver;
  private static Path profile;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
        "needs the Debian packages chromium and chromium-driver (.ci/run installs them)");
    node = TestNode.start("web-ui");
    profile = Files.createTempDirectory("dgad-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1400,1900", "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.get(node.base() + "/");
    waitFor(20).until(ExpectedConditions.textToBe(By.id("conn"), "live"));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (node != null) {
        node.close();
      }
      if (profile != null) {
        try (var files = Files.walk(profile)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static WebDriverWait waitFor(int seconds) {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds));
    // A table row found and re-drawn by the page before it is read: the next try finds the new one.
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  /**
   * The cell texts of the first row of a table whose domain cell's text is exactly name, or null.
   * Read in one script: the page re-renders its tables, so element references go stale.
   */
  @SuppressWarnings("unchecked")
  private static List<String> row(String tableId, String name) {
    return (List<String>) driver.executeScript("""
        for (const td of document.querySelectorAll('#' + arguments[0] + ' td.domain')) {
          if (td.textContent === arguments[1]) return [...td.parentElement.cells].map(c => c.textContent);
        }
        return null;""", tableId, name);
  }

  private static void submitOne(String name) {
    WebElement input = driver.findElement(By.id("one-name"));
    input.clear();
    input.sendKeys(name);
    driver.findElement(By.id("one-submit")).click();
  }

  @Test
  @Order(1)
  void submittedNameShowsItsResult() {
    String dga = Names.randomDga(20, 4242);
    submitOne(dga);
    List<String> cells = waitFor(20).until(d -> row("submit-results", dga));
    assertEquals("DGA", cells.get(1));
    assertTrue(Double.parseDouble(cells.get(2)) > 0.5, cells.get(2));
    assertTrue(!cells.get(3).isEmpty(), "a family");
    assertTrue(driver.findElements(By.cssSelector("#submit-results .bar .fill.dga")).size() >= 1, "a score bar");

    submitOne("www.wikipedia.org");
    assertEquals("ok", waitFor(20).until(d -> row("submit-results", "www.wikipedia.org")).get(1));
  }

  @Test
  @Order(2)
  void pastedListAndUploadedFile() throws Exception {
    driver.findElement(By.cssSelector("#submit summary")).click();
    String listed = Names.randomDga(21, 808);
    driver.findElement(By.id("many-names")).sendKeys("listed-one.example.com\n\n" + listed + "\n");
    driver.findElement(By.id("many-submit")).click();
    assertEquals("DGA", waitFor(20).until(d -> row("submit-results", listed)).get(1));
    assertEquals("ok", waitFor(20).until(d -> row("submit-results", "listed-one.example.com")).get(1));

    String uploaded = Names.randomDga(22, 909);
    Path csv = Files.createTempFile(profile, "names", ".csv");
    Files.writeString(csv, "domain,source\nfrom-file.example.net,test\n" + uploaded + ",test\n");
    driver.findElement(By.id("names-file")).sendKeys(csv.toAbsolutePath().toString());
    driver.findElement(By.id("file-submit")).click();
    assertEquals("DGA", waitFor(20).until(d -> row("submit-results", uploaded)).get(1));
    assertEquals("ok", waitFor(20).until(d -> row("submit-results", "from-file.example.net")).get(1));
    assertEquals(null, row("submit-results", "domain"), "the csv header is not a name");
    waitFor(10).until(ExpectedConditions.textToBe(By.id("submit-status"), "classified 2 of 2"));
  }

  @Test
  @Order(3)
  void nameAddedToRedisAppearsLive() {
    String dga = Names.randomDga(18, 777);
    assertEquals(":1", node.redis.command("SADD " + node.todo + " " + dga));
    List<String> cells = waitFor(30).until(d -> row("live-table", dga));
    assertEquals("DGA", cells.get(2));
    assertEquals("web-ui", cells.get(5));
  }

  @Test
  @Order(4)
  void hostileNameIsShownAsText() {
    submitOne(HOSTILE);
    assertEquals("invalid", waitFor(20).until(d -> row("submit-results", HOSTILE)).get(1));
    // Through the Redis door and the live stream too.
    assertEquals(":1", node.redis.command("SADD " + node.todo + " \"" + HOSTILE + "\""));
    waitFor(30).until(d -> row("live-table", HOSTILE));
    assertEquals(0, driver.findElements(By.cssSelector("table img")).size(), "no element made from a name");
    assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
  }

  @Test
  @Order(5)
  void liveFiltersNarrowTheTable() {
    String dga = Names.randomDga(19, 99);
    node.redis.command("SADD " + node.todo + " " + dga + " filter-test.example.com");
    waitFor(30).until(d -> row("live-table", dga) != null && row("live-table", "filter-test.example.com") != null);
    driver.findElement(By.id("f-dga")).click();
    waitFor(10).until(d -> row("live-table", "filter-test.example.com") == null);
    assertTrue(row("live-table", dga) != null);
    driver.findElement(By.id("f-dga")).click();
    driver.findElement(By.id("f-text")).sendKeys("filter-test");
    waitFor(10).until(d -> row("live-table", dga) == null && row("live-table", "filter-test.example.com") != null);
    driver.findElement(By.id("f-text")).clear();
    driver.findElement(By.id("f-text")).sendKeys(" "); // an input event with an empty filter
    waitFor(10).until(d -> row("live-table", dga) != null);
  }

  @Test
  @Order(6)
  void screenshotOfABusyDashboard() throws Exception {
    // Some traffic through the Redis door over a few seconds so the charts have a shape.
    for (int round = 0; round < 12; round++) {
      long second = System.currentTimeMillis() / 1000;
      StringBuilder sadd = new StringBuilder("SADD " + node.todo);
      int names = 60 + 40 * (round % 6);
      for (int i = 0; i < names; i++) {
        sadd.append(' ').append(i % 3 == 0 ? Names.randomDga(12 + i % 9, round * 1000L + i)
            : "www" + i + ".shop-" + round + ".example.com");
      }
      node.redis.command(sadd.toString());
      await(Poll.until(node.vertx, 30_000, "the queue drained", () -> Future.succeededFuture(
          ":0".equals(node.redis.command("SCARD " + node.todo)))));
      // One round per wall-clock second, so the throughput chart shows several points.
      await(Poll.until(node.vertx, 10_000, "the next second", () -> Future.succeededFuture(
          System.currentTimeMillis() / 1000 > second)));
    }
    waitFor(10).until(d -> !d.findElement(By.id("t-seen")).getText().equals("0"));
    waitFor(10).until(d -> !d.findElement(By.id("t-queue")).getText().equals("–"));
    Path out = Path.of("target", "dashboard.png");
    Files.createDirectories(out.getParent());
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), out, StandardCopyOption.REPLACE_EXISTING);
    assertTrue(Files.size(out) > 10_000, "a real screenshot");
  }

  @Test
  @Order(7)
  void nodesAndLeaderFromTheLeadersStats() {
    // The node's own LeaderVerticle (the only member, so the leader) publishes dgad.stats every
    // second; the page shows it as leader, lists it with its roles, and shows the queue depth.
    String id = node.conf.getJsonObject("node").getString("id");
    waitFor(15).until(ExpectedConditions.textToBe(By.id("leader"), "leader: " + id));
    waitFor(15).until(d -> d.findElements(By.cssSelector("#nodes tbody tr")).size() == 1);
    String row = driver.findElement(By.cssSelector("#nodes tbody")).getText();
    assertTrue(row.contains("\u2605"), "the leader is marked: " + row);
    assertTrue(row.contains("classifier") && row.contains("web"), row);
    assertTrue(row.matches("(?s).*@[0-9a-f]{12}.*"), "the model version its classifiers serve: " + row);
    assertTrue(row.contains("\u00b7 balanced"), "and the operating point they judge at: " + row);
    waitFor(15).until(ExpectedConditions.textToBe(By.id("t-inflight"), "0"));
  }

  @Test
  @Order(8)
  void batchJobShowsItsProgressToTheEnd() throws Exception {
    // A job through the cluster API (the leader splits it into tasks for the worker role);
    // the jobs panel follows it to 100%.
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 120; i++) {
      body.append(i % 2 == 0 ? Names.randomDga(14, 7000 + i) : "shop" + i + ".example.org").append('\n');
    }
    java.net.http.HttpResponse<String> created = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.base() + "/api/jobs"))
            .header("Content-Type", "text/plain")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    String job = new io.vertx.core.json.JsonObject(created.body()).getString("id");
    waitFor(60).until(d -> {
      for (WebElement tr : d.findElements(By.cssSelector("#jobs-table tbody tr"))) {
        String t = tr.getText();
        if (t.contains(job) && t.contains("done") && t.contains("100%") && t.contains("120 / 120")) {
          return true;
        }
      }
      return false;
    });
  }

  @Test
  @Order(9)
  void tokenProtectedPageAsksForTheToken() throws Exception {
    io.vertx.core.json.JsonObject conf = node.conf.copy();
    int port = io.dgadmesh.testing.RedisServer.freePort();
    conf.getJsonObject("web").put("port", port).put("token", "browser-token-1");
    String id = await(node.vertx.deployVerticle(DashboardVerticle.class.getName(),
        new io.vertx.core.DeploymentOptions().setConfig(conf)));
    try {
      driver.get("http://127.0.0.1:" + port + "/");
      waitFor(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
      assertTrue(!driver.findElement(By.id("app")).isDisplayed());
      driver.findElement(By.id("token")).sendKeys("wrong-token-0");
      driver.findElement(By.cssSelector("#login-form button")).click();
      waitFor(10).until(ExpectedConditions.textToBe(By.id("login-error"), "the token was not accepted"));
      driver.findElement(By.id("token")).clear();
      driver.findElement(By.id("token")).sendKeys("browser-token-1");
      driver.findElement(By.cssSelector("#login-form button")).click();
      waitFor(20).until(ExpectedConditions.textToBe(By.id("conn"), "live"));
      String dga = Names.randomDga(17, 5151);
      submitOne(dga);
      waitFor(20).until(d -> row("submit-results", dga));
    } finally {
      await(node.vertx.undeploy(id));
    }
  }

  @Test
  @Order(10)
  void noContentSecurityPolicyViolations() {
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      assertTrue(!e.getMessage().contains("Content Security Policy") && !e.getMessage().contains("Uncaught"),
          e.getMessage());
    }
  }
}
