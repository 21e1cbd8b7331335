package dev.seatgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private static final TrustedProxies PROXIES = TrustedProxies.parse("10.0.0.0/8, 192.168.1.7, ::1");

    @Test
    void theForwardedForHeaderCountsOnlyFromATrustedProxy() throws Exception {
        InetAddress proxy = InetAddress.getByName("10.1.2.3");
        InetAddress stranger = InetAddress.getByName("203.0.113.9");

        assertThat(PROXIES.clientAddress(proxy, Optional.of("198.51.100.4")))
                .isEqualTo(InetAddress.getByName("198.51.100.4"));
        assertThat(PROXIES.clientAddress(stranger, Optional.of("198.51.100.4"))).as("anyone can write the header")
                .isEqualTo(stranger);
        assertThat(PROXIES.clientAddress(proxy, Optional.empty())).isEqualTo(proxy);
    }

    @Test
    void theClientIsTheRightMostAddressNoTrustedProxyVouchesFor() throws Exception {
        InetAddress proxy = InetAddress.getByName("192.168.1.7");

        // The client wrote "1.1.1.1" itself; the first proxy saw 198.51.100.4; the inner proxy 10.9.9.9.
        assertThat(PROXIES.clientAddress(proxy, Optional.of("1.1.1.1, 198.51.100.4, 10.9.9.9")))
                .isEqualTo(InetAddress.getByName("198.51.100.4"));
        assertThat(PROXIES.clientAddress(proxy, Optional.of("unknown, 10.9.9.9")))
                .isEqualTo(InetAddress.getByName("10.9.9.9"));
        assertThat(PROXIES.clientAddress(InetAddress.getByName("::1"), Optional.of("2001:db8::5")))
                .isEqualTo(InetAddress.getByName("2001:db8::5"));
    }

    @Test
    void onlyAddressesAndRangesAreAccepted() {
        assertThat(TrustedProxies.parse("").isEmpty()).isTrue();
        assertThatThrownBy(() -> TrustedProxies.parse("proxy.internal")).hasMessageContaining("'proxy.internal'");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33")).hasMessageContaining("prefix must be 0 to 32");
        assertThatThrownBy(() -> ConfigLoader.load(java.util.List.of(), java.util.Map.of(
                "SEATGATE_TRUSTED_PROXIES", "10.0.0.0/8, lb")))
                .hasMessageStartingWith("SEATGATE_TRUSTED_PROXIES: 'lb' is not an IP address or CIDR range");
    }
}
