package io.chorus.gateway.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which address a request comes from, for the per-address sign-in limits. Behind a load balancer every request
 * arrives from the balancer, so all users would share one address's limits (and one user's failures would
 * throttle everyone). The balancer's real client is in {@code X-Forwarded-For}, but anyone can send that header,
 * so it is believed only from the proxies named in {@code TRUSTED_PROXIES}: reading the header from the right
 * (each proxy appends the address it was connected from), the first hop that is not a trusted proxy is the
 * client. A request from anywhere else is its connection's peer, whatever it claims.
 */
public final class ClientAddress {
  /** IP literals only: a host name here would make every request wait on DNS. */
  private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final List<Network> trusted;

  private record Network(byte[] address, int prefixBits) {
    boolean contains(byte[] candidate) {
      if (candidate.length != address.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (candidate[i] != address[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return rest == 0 || (candidate[full] & mask) == (address[full] & mask);
    }
  }

  private ClientAddress(List<Network> trusted) {
    this.trusted = trusted;
  }

  /**
   * From {@code TRUSTED_PROXIES}: a comma-separated list of addresses and CIDR ranges ({@code 10.0.0.0/8},
   * {@code 192.168.1.7}, {@code fd00::/8}); empty or null trusts no one.
   */
  public static ClientAddress trusting(String trustedProxies) {
    List<Network> networks = new ArrayList<>();
    if (trustedProxies != null) {
      for (String entry : trustedProxies.split(",")) {
        String item = entry.trim();
        if (!item.isEmpty()) {
          networks.add(network(item));
        }
      }
    }
    return new ClientAddress(List.copyOf(networks));
  }

  private static Network network(String entry) {
    int slash = entry.indexOf('/');
    String host = slash < 0 ? entry : entry.substring(0, slash);
    byte[] address = parse(host);
    if (address == null) {
      throw new IllegalArgumentException("TRUSTED_PROXIES: '" + entry + "' is not an IP address or CIDR range");
    }
    int bits = address.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(entry.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException("TRUSTED_PROXIES: '" + entry + "' has a prefix length out of range");
      }
    }
    return new Network(address, bits);
  }

  /** The bytes of an IP literal (an IPv4-mapped IPv6 address as IPv4), or null for anything else. */
  private static byte[] parse(String literal) {
    String host = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1)
        : literal;
    if (host.isEmpty() || !IP_LITERAL.matcher(host).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * What the sign-in limits count an address as: an IPv6 address as its /64 network (one subscriber is usually
   * given a whole /64, so counting single addresses would let one client take a fresh allowance per request and
   * fill the cluster's limit maps), anything else as it is.
   */
  public static String limitKey(String address) {
    byte[] bytes = address == null ? null : parse(address);
    if (bytes == null || bytes.length != 16) {
      return address;
    }
    StringBuilder network = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
    }
    return network.append(":/64").toString();
  }

  boolean isTrusted(String address) {
    byte[] bytes = parse(address);
    return bytes != null && trusted.stream().anyMatch(network -> network.contains(bytes));
  }

  /**
   * The client's address: {@code peer} itself unless it is a trusted proxy; then the right-most hop of
   * {@code forwardedFor} (all the header's lines, in order) that is not a trusted proxy, or the left-most hop when
   * every one is.
   */
  public String of(String peer, List<String> forwardedFor) {
    if (peer == null || trusted.isEmpty() || !isTrusted(peer) || forwardedFor.isEmpty()) {
      return peer;
    }
    List<String> hops = new ArrayList<>();
    for (String line : forwardedFor) {
      for (String hop : line.split(",")) {
        if (!hop.isBlank()) {
          hops.add(hop.trim());
        }
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      if (!isTrusted(hops.get(i))) {
        return hops.get(i);
      }
    }
    return hops.isEmpty() ? peer : hops.get(0);
  }
}
