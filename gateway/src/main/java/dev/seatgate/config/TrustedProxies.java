package dev.seatgate.config;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The load balancers and proxies whose {@code X-Forwarded-For} header the gateway believes. From anyone
 * else the header is ignored (a client could write any address into it), and the client address is the
 * socket's peer.
 */
public final class TrustedProxies {

    /** No proxy is trusted: the client address is always the socket's peer. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

    private final List<IpSubnetFilterRule> subnets;
    private final String text;

    private TrustedProxies(List<IpSubnetFilterRule> subnets, String text) {
        this.subnets = subnets;
        this.text = text;
    }

    /**
     * Parses a comma-separated list of addresses and CIDR ranges ({@code 10.0.0.0/8, 192.168.1.7, ::1}).
     *
     * @throws IllegalArgumentException naming the entry that is neither
     */
    public static TrustedProxies parse(String list) {
        var subnets = new ArrayList<IpSubnetFilterRule>();
        for (String entry : list.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int slash = trimmed.indexOf('/');
            InetAddress ip = literal(slash < 0 ? trimmed : trimmed.substring(0, slash)).orElseThrow(() ->
                    new IllegalArgumentException("'" + trimmed + "' is not an IP address or CIDR range"));
            int bits = ip.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + trimmed + "': the prefix must be 0 to " + bits);
            }
            subnets.add(new IpSubnetFilterRule(ip, prefix, IpFilterRuleType.ACCEPT));
        }
        return new TrustedProxies(List.copyOf(subnets), list.trim());
    }

    public boolean isEmpty() {
        return subnets.isEmpty();
    }

    public boolean trusts(InetAddress address) {
        var socketAddress = new InetSocketAddress(address, 0);
        return subnets.stream().anyMatch(subnet -> subnet.matches(socketAddress));
    }

    /**
     * The client's address: the socket peer, or, when the peer is a trusted proxy, the right-most address of
     * {@code X-Forwarded-For} that is not itself a trusted proxy (proxies append what they saw, so the
     * right-most untrusted entry is the first one no trusted party vouches for).
     */
    public InetAddress clientAddress(InetAddress peer, Optional<String> forwardedFor) {
        if (forwardedFor.isEmpty() || !trusts(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.get().split(",");
        InetAddress client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(hops[i].trim());
            if (hop.isEmpty()) {
                return client; // a name, "unknown" or garbage: stop at the last address vouched for
            }
            client = hop.get();
            if (!trusts(client)) {
                return client;
            }
        }
        return client;
    }

    /** An IPv4 or IPv6 literal, parsed without any name lookup (this runs on the event loop). */
    private static Optional<InetAddress> literal(String text) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty(); // only for a wrong length, which the parser never returns
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
