package io.dgadmesh.tls;

import io.dgadmesh.config.TlsConf;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * TLS on the node's own doors, in one place: both gRPC ports, the web port and the clustered
 * event bus take their options from here, so that the rules are the same on each.
 *
 * <p>With {@code tls.certPath} and {@code tls.keyPath} a door speaks TLS and nothing else: there is
 * no plaintext listener beside it, and a plaintext client fails its handshake. With
 * {@code tls.clientCaPath} a client must also show a certificate signed by that CA (mTLS); one
 * without is refused in the handshake, before any request is read. Without a certificate the
 * options are left as they are (plaintext).
 */
public final class DoorTls {
  private DoorTls() {}

  /**
   * A gRPC port. ALPN offers h2 first: gRPC clients (grpc-java, grpc-go, grpcurl) insist on
   * negotiating h2 and give up on a TLS server without ALPN. http/1.1 stays for gRPC-Web.
   */
  public static HttpServerOptions grpc(TlsConf tls, HttpServerOptions options) {
    return tls.enabled() ? server(tls, options).setUseAlpn(true) : options;
  }

  /**
   * The web port: HTTP/1.1 over TLS, as the plaintext port is HTTP/1.1. The connection cap
   * ({@code web.maxConnections}) sees a connection once its handshake is done; one that never
   * finishes it is closed after Vert.x's handshake timeout (10 s).
   */
  public static HttpServerOptions web(TlsConf tls, HttpServerOptions options) {
    return tls.enabled() ? server(tls, options) : options;
  }

  private static HttpServerOptions server(TlsConf tls, HttpServerOptions options) {
    options.setSsl(true).setKeyCertOptions(keyCert(tls));
    if (tls.clientAuth()) {
      options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(tls.clientCaPath()));
    }
    return options;
  }

  /**
   * The clustered event bus: TLS between members with the node's certificate, and a member must
   * show a certificate from {@link #busCa} (client authentication required), so that a process
   * without one can neither send on the bus nor read what members send each other. Vert.x does
   * not check a member's host name (members are reached at addresses Hazelcast learns): trust
   * is the CA alone, which is why it must be a CA of the mesh's own and never the JVM's store.
   */
  public static void eventBus(TlsConf tls, EventBusOptions bus) {
    if (!tls.enabled()) {
      return;
    }
    bus.setSsl(true).setKeyCertOptions(keyCert(tls))
        .setTrustOptions(new PemTrustOptions().addCertPath(busCa(tls)))
        .setClientAuth(ClientAuth.REQUIRED);
  }

  /**
   * The CA whose certificates make a member of the event bus: {@code tls.caPath}, else
   * {@code tls.clientCaPath}. A member shows its node certificate ({@code tls.certPath}) in both
   * directions, so the bus must trust the CA that signs the nodes' certificates: that is
   * {@code tls.caPath}, the private CA the node trusts when it connects out (and the one clients
   * trust for the doors). Where client certificates come from a separate, wider CA
   * ({@code tls.clientCaPath}), trusting that one instead would let every holder of a client
   * certificate join the bus; it is used only when it is the one CA given (a single private CA
   * for nodes and clients). With neither, TLS on a clustered node is refused at start
   * ({@link io.dgadmesh.config.NodeSettings}): the JVM's trust store would admit anyone with a
   * public certificate.
   */
  public static String busCa(TlsConf tls) {
    return tls.privateCa() ? tls.caPath() : tls.clientCaPath();
  }

  /** "https" or "http": for the addresses the node prints. */
  public static String webScheme(TlsConf tls) {
    return tls.enabled() ? "https" : "http";
  }

  private static PemKeyCertOptions keyCert(TlsConf tls) {
    return new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath());
  }
}
