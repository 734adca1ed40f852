package io.dgadmesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.NodeConfig.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** redis.url (REDIS_URL), redis.user (REDIS_USER) and the one endpoint the node connects to. */
class RedisEndpointTest {

  private static final Map<String, String> DGAD_ENV = Map.of("REDIS_HOST", "old-host", "REDIS_PORT", "6390",
      "REDIS_DB", "5", "REDIS_PASSWORD", "old-password");

  private static RedisEndpoint server(Map<String, String> env) {
    return NodeSettings.read(NodeConfig.load(null, env)).redis().server();
  }

  private static RedisEndpoint withUrl(String url, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put("REDIS_URL", url);
    return server(env);
  }

  private static String error(String url) {
    return assertThrows(ConfigException.class, () -> withUrl(url, Map.of())).getMessage();
  }

  @Test
  void dgadsVariablesWithoutAUrl() {
    RedisEndpoint s = server(DGAD_ENV);
    assertEquals(RedisEndpoint.of("old-host", 6390, "", "old-password", 5, ""), s);
    assertFalse(s.tls());
    assertEquals("old-host:6390/5", s.where(), "as before the URL: host:port/db");
    assertEquals("redis://old-host:6390/5", s.connectionString());
    assertEquals("redis.password (REDIS_PASSWORD)", s.credentialSetting());
    assertEquals("redis.db (REDIS_DB)", s.dbSetting());
  }

  @Test
  void theUrlWinsOverHostPortDbAndItsCredentialsOverUserAndPassword() {
    RedisEndpoint s = withUrl("rediss://dgad:s%3Ac+r%40t@redis.example.com:6380/3", DGAD_ENV);
    assertTrue(s.tls());
    assertEquals("redis.example.com", s.host());
    assertEquals(6380, s.port());
    assertEquals(3, s.db());
    assertEquals("dgad", s.user());
    assertEquals("s:c+r@t", s.password(), "percent-decoded; '+' stays a plus");
    assertEquals("rediss://redis.example.com:6380/3", s.connectionString(), "no credentials in the connection string");
    assertEquals("rediss://dgad@redis.example.com:6380/3", s.where(), "scheme and user, never the password");
    assertEquals("redis.url (REDIS_URL)", s.credentialSetting());
    assertEquals("redis.url (REDIS_URL)", s.dbSetting());
  }

  @Test
  void defaultsOfAUrl() {
    RedisEndpoint s = withUrl("redis://cache", DGAD_ENV);
    assertEquals(6379, s.port());
    assertEquals(0, s.db(), "no path: database 0, whatever REDIS_DB says");
    assertEquals("old-password", s.password(), "a URL without credentials keeps REDIS_PASSWORD");
    assertEquals("redis.password (REDIS_PASSWORD)", s.credentialSetting());
    assertEquals(0, withUrl("redis://cache/", Map.of()).db());
  }

  @Test
  void thePasswordAloneAndTheUserAlone() {
    RedisEndpoint pw = withUrl("redis://:only-pw@cache:6379", DGAD_ENV);
    assertEquals("", pw.user(), "Redis's default user");
    assertEquals("only-pw", pw.password());
    RedisEndpoint user = withUrl("redis://reader@cache", DGAD_ENV);
    assertEquals("reader", user.user());
    assertEquals("", user.password(), "the URL's credentials replace REDIS_PASSWORD, even when it names a user alone");
    assertTrue(user.authenticates(), "a named user logs in (an ACL user with nopass takes any password)");
  }

  @Test
  void anAclUserFromRedisUser() {
    RedisEndpoint s = server(Map.of("REDIS_HOST", "cache", "REDIS_USER", "dgad", "REDIS_PASSWORD", "secret"));
    assertEquals("dgad", s.user());
    assertEquals("secret", s.password());
    assertEquals("dgad@cache:6379/0", s.where());
    assertEquals("redis.user and redis.password (REDIS_USER, REDIS_PASSWORD)", s.credentialSetting());
    RedisEndpoint url = withUrl("rediss://cache:6380", Map.of("REDIS_USER", "dgad", "REDIS_PASSWORD", "secret"));
    assertEquals("dgad", url.user(), "a URL without credentials keeps REDIS_USER");
    assertEquals("secret", url.password());
  }

  @Test
  void anIpv6Host() {
    RedisEndpoint s = withUrl("redis://[::1]:6380/1", Map.of());
    assertEquals("redis://[::1]:6380/1", s.connectionString());
  }

  @Test
  void badUrlsAreNamedWithoutTheirPassword() {
    String secret = "pa55word";
    assertEquals("redis.url (from REDIS_URL): must start with redis:// or rediss:// (TLS); the form is"
        + " redis://[user:password@]host[:port][/db] or rediss://... for TLS", error("http://u:" + secret + "@host:6379"));
    assertTrue(error("u:" + secret + "@host:6379").startsWith("redis.url (from REDIS_URL): must start with redis://"));
    assertEquals("redis.url (from REDIS_URL): port must be between 1 and 65535, got 70000",
        error("redis://u:" + secret + "@host:70000"));
    assertTrue(error("redis://u:" + secret + "@host:6379/x").startsWith("redis.url (from REDIS_URL): the path must be a"
        + " database number between 0 and 1000"));
    assertTrue(error("redis://u:" + secret + "@host:6379/1001").contains("database number"));
    assertTrue(error("redis://u:" + secret + "@host:6379/0?ssl=true").contains("takes no ?query"));
    assertTrue(error("redis://u:" + secret + "@:6379").contains("names no host"));
    assertTrue(error("redis://u:pa@ss@host:6379").contains("percent-encoded"), "an unencoded @ in the password");
    assertTrue(error("redis://u:" + secret + "@ho st:6379").startsWith("redis.url (from REDIS_URL): is not a URL ("));
    for (String bad : new String[] {"http://u:" + secret + "@h", "redis://u:" + secret + "@h:0", "redis://u:" + secret
        + "@h/-1", "redis://u:" + secret + "@h/0#f", "redis://u:" + secret + "@ho st", "rediss:u:" + secret + "@h"}) {
      String message = error(bad);
      assertFalse(message.contains(secret), message);
      assertTrue(message.startsWith("redis.url (from REDIS_URL): "), message);
    }
  }

  @Test
  void aBadUrlInAFileNamesTheKey(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("c.json"), "{\"redis\": {\"url\": \"redis://:pw@h:99999\"}}");
    ConfigException e = assertThrows(ConfigException.class, () -> NodeSettings.read(NodeConfig.load(file, Map.of())));
    assertEquals("redis.url: port must be between 1 and 65535, got 99999", e.getMessage());
  }

  @Test
  void noPasswordInAnyPrintedSetting() {
    NodeSettings s = NodeSettings.read(NodeConfig.load(null, Map.of("REDIS_URL", "rediss://dgad:hunter2@cache/1")));
    assertFalse(s.toString().contains("hunter2"), s.toString());
    assertTrue(s.redis().toString().contains("rediss://dgad@cache:6379/1"), s.redis().toString());
    NodeSettings kafka = NodeSettings.read(NodeConfig.load(null, Map.of("DGAD_KAFKA_SASL_MECHANISM", "PLAIN",
        "DGAD_KAFKA_USER", "dgad", "DGAD_KAFKA_PASSWORD", "hunter3")));
    assertFalse(kafka.toString().contains("hunter3"), kafka.toString());
  }

  @Test
  void pointAtClearsTheUrlThatWouldWin() {
    var conf = NodeConfig.load(null, Map.of("REDIS_URL", "rediss://dgad:pw@cache:6380/2"));
    RedisConf.pointAt(conf, "127.0.0.1", 7000);
    RedisEndpoint s = NodeSettings.read(conf).redis().server();
    assertEquals(RedisEndpoint.of("127.0.0.1", 7000, "", "", 0, ""), s);
  }
}
