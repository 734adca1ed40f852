package io.dgadmesh.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.bus.IngestBus;
import io.dgadmesh.ingest.DnsRecord;
import io.dgadmesh.testing.Names;
import io.dgadmesh.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's Hosts view in real headless Chromium against a real node (worker and web roles)
 * and redis-server: DNS records posted to {@code /api/ingest} make hosts, the view ranks them,
 * opens one to its evidence and timeline, and shows an alert when another host turns infected.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostsViewBrowserTest {

  private static final String[] COMMON = {"google.com", "www.wikipedia.org", "github.com", "mail.yahoo.com",
      "www.bbc.co.uk", "api.twitter.com", "www.amazon.com", "outlook.office365.com", "www.reddit.com",
      "cdn.jsdelivr.net", "www.nytimes.com", "login.microsoftonline.com"};
  private static final String INFECTED = "10.3.0.66";
  private static final String LATER = "10.3.0.99";
  /** A client field and a query name as a hostile log line could carry them. */
  private static final String HOSTILE_HOST = "<img src=x onerror=alert(1)>";
  private static final String HOSTILE_NAME = "<img src=x onerror=alert(2)>.example.com";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static TestNode node;
  private static ChromeDriver driver;
  private static Path profile;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(new File(DashboardBrowserTest.CHROMIUM).canExecute()
            && new File(DashboardBrowserTest.CHROMEDRIVER).canExecute(),
        "needs the Debian packages chromium and chromium-driver (.ci/run installs them)");
    node = TestNode.start("hosts-ui"); // its "redis" role is the worker role, which takes DNS records
    long t0 = System.currentTimeMillis() - 10 * 60_000;
    List<DnsRecord> records = new ArrayList<>();
    for (int h = 1; h <= 10; h++) {
      for (int i = 0; i < 20; i++) {
        records.add(new DnsRecord(t0 + h * 1000L + i * 7000L, "10.3.0." + h, COMMON[(h + i) % COMMON.length], "A",
            "NOERROR", List.of("93.184.216.34")));
      }
    }
    records.addAll(dgaBurst(INFECTED, t0 + 60_000, 300));
    records.add(new DnsRecord(t0 + 90_000, "10.3.0.4", HOSTILE_NAME, "A", DnsRecord.NXDOMAIN, List.of()));
    records.add(new DnsRecord(t0 + 91_000, HOSTILE_HOST, "www.wikipedia.org", "A", "NOERROR", List.of("1.2.3.4")));
    records.add(new DnsRecord(t0 + 92_000, HOSTILE_HOST, Names.randomDga(18, 4711), "A", DnsRecord.NXDOMAIN, List.of()));
    ingest(records);

    profile = Files.createTempDirectory("dgad-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(DashboardBrowserTest.CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1400,1900", "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DashboardBrowserTest.CHROMEDRIVER)).usingAnyFreePort().build();
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

  /** 30 random 16 to 20 letter names, each answered NXDOMAIN, from one host. */
  private static List<DnsRecord> dgaBurst(String host, long t, long seed) {
    List<DnsRecord> out = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      out.add(new DnsRecord(t + i * 2000L, host, Names.randomDga(16 + i % 5, seed + i), "A", DnsRecord.NXDOMAIN,
          List.of()));
      out.add(new DnsRecord(t + i * 2000L + 500, host, COMMON[i % COMMON.length], "A", "NOERROR",
          List.of("93.184.216.34")));
    }
    return out;
  }

  private static void ingest(List<DnsRecord> records) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.base() + "/api/ingest"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(IngestBus.request(records).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  private static JsonObject get(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.base() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  private static WebDriverWait waitFor(int seconds) {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  /**
   * The hosts table's rows (the open host's evidence row left out) as {host, badge, badge class,
   * row class}, read in one script: the view redraws the table while it is read.
   */
  @SuppressWarnings("unchecked")
  private static List<Map<String, String>> rows() {
    return (List<Map<String, String>>) driver.executeScript("""
        return [...document.querySelectorAll('#hosts-table > tbody > tr:not(.detail)')].map(tr => ({
          host: tr.querySelector('button.host').textContent,
          badge: tr.querySelector('.badge').textContent,
          badgeClass: tr.querySelector('.badge').className,
          rowClass: tr.className}));""");
  }

  /** The host button of host, found by its text (never by a selector built from a hostile name). */
  private static WebElement hostButton(String host) {
    for (WebElement b : driver.findElements(By.cssSelector("#hosts-table button.host"))) {
      if (host.equals(b.getAttribute("textContent"))) {
        return b;
      }
    }
    return null;
  }

  /** Clicks host's button; again if the view redrew the table between finding and clicking. */
  private static void open(String host) {
    waitFor(20).until(d -> {
      WebElement b = hostButton(host);
      if (b == null) {
        return false;
      }
      b.click();
      return true;
    });
  }

  @Test
  @Order(1)
  void infectedHostIsTheFirstRowWithTheInfectedBadge() throws Exception {
    assertFalse(driver.findElement(By.id("view-hosts")).isDisplayed());
    driver.findElement(By.id("nav-hosts")).click();
    waitFor(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("hosts-table")));
    assertEquals("page", driver.findElement(By.id("nav-hosts")).getAttribute("aria-current"));
    assertFalse(driver.findElement(By.id("view-overview")).isDisplayed());

    JsonArray api = get("/api/hosts?limit=200").getJsonArray("hosts");
    List<Map<String, String>> rows = waitFor(20).until(d -> {
      List<Map<String, String>> r = rows();
      return r.size() == api.size() ? r : null;
    });
    assertEquals(INFECTED, rows.get(0).get("host"));
    assertEquals("infected", rows.get(0).get("badge"));
    assertTrue(rows.get(0).get("badgeClass").contains("infected"), rows.get(0).toString());
    // The rest in the API's order, with the API's verdicts.
    for (int i = 0; i < api.size(); i++) {
      JsonObject h = api.getJsonObject(i);
      assertEquals(h.getString("host"), rows.get(i).get("host"), "row " + i);
      assertEquals(h.getBoolean("infected") ? "infected" : "ok", rows.get(i).get("badge"), "row " + i);
    }
    assertEquals(1, rows.stream().filter(r -> r.get("badge").equals("infected")).count(), rows.toString());
  }

  @Test
  @Order(2)
  void infectedOnlyFilterLeavesTheInfectedHost() {
    int all = rows().size();
    assertTrue(all > 1);
    driver.findElement(By.id("h-infected")).click();
    waitFor(20).until(d -> rows().size() == 1);
    assertEquals(INFECTED, rows().get(0).get("host"));
    driver.findElement(By.id("h-infected")).click();
    waitFor(20).until(d -> rows().size() == all);
  }

  @Test
  @Order(3)
  void theViewHasOneRequestInFlightAtATime() {
    // Counts the page's concurrent requests to /api/hosts, then flips the filter seven times in one
    // go (each flip asks for the list): they must queue behind one another, not run side by side.
    driver.executeScript("""
        window.hostsInFlight = 0;
        window.hostsMaxInFlight = 0;
        const original = window.fetch;
        window.fetch = async (...args) => {
          if (!String(args[0]).startsWith('/api/hosts')) return original(...args);
          window.hostsMaxInFlight = Math.max(window.hostsMaxInFlight, ++window.hostsInFlight);
          try { return await original(...args); } finally { window.hostsInFlight--; }
        };
        for (let i = 0; i < 7; i++) document.getElementById('h-infected').click();""");
    waitFor(20).until(d -> rows().size() == 1 && Long.valueOf(0).equals(driver.executeScript("return window.hostsInFlight;")));
    assertEquals(INFECTED, rows().get(0).get("host"));
    assertEquals(1L, driver.executeScript("return window.hostsMaxInFlight;"));
    int before = ((Number) driver.executeScript("return document.querySelectorAll('#hosts-table > tbody > tr').length;")).intValue();
    driver.findElement(By.id("h-infected")).click();
    waitFor(20).until(d -> rows().size() > before);
  }

  @Test
  @Order(4)
  void aHostOpensToItsEvidenceAndTimeline() throws Exception {
    JsonObject api = get("/api/hosts/" + INFECTED);
    List<String> evidence = api.getJsonArray("evidence").stream().map(e -> ((JsonObject) e).getString("name")).toList();
    long dga = api.getJsonArray("timeline").stream().filter(e -> ((JsonObject) e).getString("family") != null).count();
    long nx = api.getJsonArray("timeline").stream()
        .filter(e -> DnsRecord.NXDOMAIN.equals(((JsonObject) e).getString("rcode"))).count();
    assertFalse(evidence.isEmpty());
    assertTrue(dga > 0 && nx > 0, api.encodePrettily());

    open(INFECTED);
    waitFor(20).until(d -> d.findElements(By.cssSelector("#host-detail svg .mark.dga")).size() == dga);
    assertEquals(nx, driver.findElements(By.cssSelector("#host-detail svg .mark.nx")).size());
    @SuppressWarnings("unchecked")
    List<String> shown = (List<String>) driver.executeScript(
        "return [...document.querySelectorAll('#host-detail table.evidence tbody td.domain')].map(td => td.textContent);");
    assertEquals(evidence, shown);
    String detail = driver.findElement(By.id("host-detail")).getText();
    assertTrue(detail.contains("NXDOMAIN"), detail);
    assertEquals("true", waitFor(10).until(d -> hostButton(INFECTED).getAttribute("aria-expanded")));

    // By keyboard: Escape closes it and leaves the focus on the host's button, Enter opens it again.
    // The list is drawn anew as results arrive, and the page moves the focus to the new button of
    // the same host (hosts.js), so the focused element is read and sent keys in the page, where a
    // WebElement fetched first could already be gone.
    new Actions(driver).sendKeys(Keys.ESCAPE).perform();
    waitFor(10).until(d -> d.findElements(By.cssSelector("#host-detail svg")).isEmpty());
    waitFor(10).until(d -> INFECTED.equals(driver.executeScript("return document.activeElement.textContent;")));
    new Actions(driver).sendKeys(Keys.ENTER).perform();
    waitFor(20).until(d -> d.findElements(By.cssSelector("#host-detail svg .mark.dga")).size() == dga);
  }

  @Test
  @Order(5)
  void aHostileClientIsNoHostAndAHostileNameIsText() throws Exception {
    // A client field that is not an address (IngestBus.CLIENT) holds no evidence: it never
    // becomes a host, so it never reaches a page.
    assertTrue(get("/api/hosts").getJsonArray("hosts").stream().noneMatch(h -> h.toString().contains("<img")));
    assertEquals(0, driver.findElements(By.cssSelector("#view-hosts img")).size(), "no element made from a host");

    // The hostile query name is text too wherever the API reports it. Today it reports none: the
    // name is refused as a host name and never becomes evidence, so the list is the only check.
    JsonObject withName = get("/api/hosts/10.3.0.4");
    boolean reported = withName.encode().contains(HOSTILE_NAME);
    open("10.3.0.4");
    waitFor(20).until(d -> !d.findElements(By.cssSelector("#host-detail h3")).isEmpty()
        && d.findElement(By.cssSelector("#host-detail h3")).getText().contains("10.3.0.4")
        && d.findElements(By.cssSelector("#host-detail p.error")).isEmpty());
    if (reported) {
      waitFor(20).until(d -> d.findElement(By.id("host-detail")).getText().contains(HOSTILE_NAME));
    }
    assertEquals(0, driver.findElements(By.cssSelector("#view-hosts img")).size(), "no element made from a host or a name");
    assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
  }

  @Test
  @Order(6)
  void anotherHostTurningInfectedShowsANoticeWithoutAReload() throws Exception {
    driver.executeScript("window.sameDocument = true;");
    assertTrue(driver.findElements(By.cssSelector("#alerts .notice")).isEmpty());
    ingest(dgaBurst(LATER, System.currentTimeMillis() - 120_000, 900));
    WebElement notice = waitFor(20).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#alerts .notice")));
    assertTrue(notice.getText().contains(LATER), notice.getText());
    assertEquals("1", driver.findElement(By.id("nav-alerts")).getText());
    // The table follows without a reload: the new host is ranked, infected, and highlighted.
    waitFor(20).until(d -> rows().stream().anyMatch(r -> r.get("host").equals(LATER)
        && r.get("badge").equals("infected") && r.get("rowClass").contains("alerted")));
    assertEquals(Boolean.TRUE, driver.executeScript("return window.sameDocument === true;"), "the page was not reloaded");

    // The notice's button opens the host; dismissing the notice ends the highlight.
    notice.findElement(By.xpath(".//button[text()='show']")).click();
    waitFor(20).until(d -> !d.findElements(By.cssSelector("#host-detail svg .mark.dga")).isEmpty());
    assertTrue(driver.findElement(By.cssSelector("#host-detail h3")).getText().contains(LATER));
    Path out = Path.of("target", "hosts-view.png");
    Files.createDirectories(out.getParent());
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), out, StandardCopyOption.REPLACE_EXISTING);
    driver.findElement(By.cssSelector("#alerts .notice button.quiet")).click();
    waitFor(10).until(d -> d.findElements(By.cssSelector("#alerts .notice")).isEmpty());
    assertFalse(driver.findElement(By.id("nav-alerts")).isDisplayed());
    assertFalse(rows().stream().anyMatch(r -> r.get("rowClass").contains("alerted")), "the highlight ends with the notice");
  }

  @Test
  @Order(7)
  void theViewIsKeptInTheAddress() {
    assertTrue(driver.getCurrentUrl().endsWith("#hosts"), driver.getCurrentUrl());
    driver.navigate().refresh();
    waitFor(20).until(d -> !rows().isEmpty());
    assertFalse(driver.findElement(By.id("view-overview")).isDisplayed());
    driver.findElement(By.id("nav-overview")).click();
    waitFor(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("live-table")));
    assertFalse(driver.findElement(By.id("view-hosts")).isDisplayed());
  }

  @Test
  @Order(8)
  void noContentSecurityPolicyViolationsOrErrors() {
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      assertTrue(!e.getMessage().contains("Content Security Policy") && !e.getMessage().contains("Uncaught"),
          e.getMessage());
    }
  }
}
