package io.dgadmesh.config;

import io.dgadmesh.config.NodeConfig.ConfigException;
import java.net.URI;

/**
 * The {@code hosts} and {@code alerts} sections: per-host evidence of the live path.
 *
 * <p>windowMinutes is the sliding window a host's evidence is kept for (and scored over).
 * maxHosts bounds the hosts the cluster tracks in Redis: past it, the lowest-scored go first.
 * maxPendingBatches bounds the ingest batches a node holds at once; more are refused with
 * Bus.OVERLOADED and their source retries. verdictCache bounds the name verdicts a node keeps.
 * threshold is the host score at which a host is called infected (the shipped one was chosen on
 * generated traffic, docs/host-score.md): raise it where healthy hosts fail to resolve many domains
 * of their own. alerts.webhook, when set, gets each alert POSTed as JSON.
 */
public record HostsConf(int windowMinutes, int maxHosts, int maxPendingBatches, int verdictCache, double threshold,
    String webhook) {

  static HostsConf read(Section hosts, Section alerts) {
    String webhook = alerts.stringOrEmpty("webhook");
    if (!webhook.isEmpty()) {
      URI u;
      try {
        u = URI.create(webhook);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("alerts.webhook", "not a URL: " + e.getMessage());
      }
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new ConfigException("alerts.webhook", "must be an http:// or https:// URL, got " + webhook);
      }
    }
    return new HostsConf(hosts.integer("windowMinutes", 1, 10_080), hosts.integer("maxHosts", 1, 1_000_000),
        hosts.integer("maxPendingBatches", 1, 64), hosts.integer("verdictCache", 1_000, 2_000_000),
        hosts.number("threshold", 0.5, 1_000), webhook);
  }

  public long windowMs() {
    return windowMinutes * 60_000L;
  }
}
