package io.chorus.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
  private final ClientAddress behindBalancer = ClientAddress.trusting("10.0.0.0/8, 192.168.1.7, fd00::/8");

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() {
    ClientAddress none = ClientAddress.trusting(null);
    assertThat(none.of("203.0.113.5", List.of("198.51.100.1"))).isEqualTo("203.0.113.5");
    assertThat(ClientAddress.trusting(" ").of("10.1.1.1", List.of("198.51.100.1"))).isEqualTo("10.1.1.1");
  }

  @Test
  void aClientThatIsNotATrustedProxyCannotClaimAnotherAddress() {
    assertThat(behindBalancer.of("203.0.113.5", List.of("198.51.100.1"))).isEqualTo("203.0.113.5");
  }

  @Test
  void behindATrustedProxyTheRightMostUntrustedHopIsTheClient() {
    // The client wrote "1.2.3.4" itself; the balancer appended the address it saw.
    assertThat(behindBalancer.of("10.0.0.2", List.of("1.2.3.4, 198.51.100.9"))).isEqualTo("198.51.100.9");
    // Two trusted proxies in a row, the header over two lines.
    assertThat(behindBalancer.of("10.0.0.2", List.of("1.2.3.4", "198.51.100.9, 192.168.1.7")))
        .isEqualTo("198.51.100.9");
    assertThat(behindBalancer.of("fd12::1", List.of("2001:db8::5"))).isEqualTo("2001:db8::5");
  }

  @Test
  void aTrustedProxyWithoutTheHeaderOrWithOnlyTrustedHopsIsTakenAsItIs() {
    assertThat(behindBalancer.of("10.0.0.2", List.of())).isEqualTo("10.0.0.2");
    assertThat(behindBalancer.of("10.0.0.2", List.of("10.9.9.9, 192.168.1.7"))).isEqualTo("10.9.9.9");
  }

  @Test
  void rangesMatchByPrefix() {
    ClientAddress slash20 = ClientAddress.trusting("172.16.0.0/12");
    assertThat(slash20.isTrusted("172.31.255.255")).isTrue();
    assertThat(slash20.isTrusted("172.32.0.1")).isFalse();
    assertThat(behindBalancer.isTrusted("192.168.1.8")).isFalse();
    assertThat(behindBalancer.isTrusted("not-an-ip")).isFalse();
    assertThat(behindBalancer.isTrusted("::ffff:10.0.0.1")).as("IPv4-mapped").isTrue();
  }

  @Test
  void aBadEntryStopsStartUpNamingIt() {
    assertThatThrownBy(() -> ClientAddress.trusting("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> ClientAddress.trusting("proxy.internal")).hasMessageContaining("proxy.internal")
        .hasMessageContaining("TRUSTED_PROXIES");
  }

  @Test
  void signInLimitsCountAnIpv6AddressAsItsSlash64AndAnythingElseAsItIs() {
    assertThat(ClientAddress.limitKey("2001:db8:1:2:aaaa::1")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddress.limitKey("2001:db8:1:2:ffff:ffff:ffff:fffe"))
        .isEqualTo(ClientAddress.limitKey("[2001:0db8:0001:0002::7]"));
    assertThat(ClientAddress.limitKey("2001:db8:1:3::1")).isNotEqualTo(ClientAddress.limitKey("2001:db8:1:2::1"));
    assertThat(ClientAddress.limitKey("203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(ClientAddress.limitKey("::ffff:203.0.113.9")).as("IPv4-mapped stays the IPv4 address")
        .isEqualTo("::ffff:203.0.113.9");
    assertThat(ClientAddress.limitKey("unknown")).isEqualTo("unknown");
  }
}
