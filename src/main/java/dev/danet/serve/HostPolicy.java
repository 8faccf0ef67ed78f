package dev.danet.serve;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which host names the server answers to, and which web pages may send it requests. A page on
 * another site can make a browser post to a server on this machine (a "simple" cross-origin
 * POST needs no permission), and a site whose name its owner points at 127.0.0.1 (DNS
 * rebinding) can even read the answers. Both are refused: the Host header must name this server
 * (loopback, the bound address, or a name allowed with --allow-host), and an Origin header, which
 * browsers send with such requests, must name one of the same hosts. Clients that are not
 * browsers (curl, scripts) send no Origin and are not affected.
 */
final class HostPolicy {

    private final Set<String> hosts;

    private HostPolicy(Set<String> hosts) {
        this.hosts = hosts;
    }

    /**
     * Loopback names, the bound address (for a wildcard address, every address and name of this
     * machine) and the extra names.
     */
    static HostPolicy of(String boundHost, List<String> extraHosts) {
        Set<String> hosts = new TreeSet<>(List.of("localhost", "127.0.0.1", "::1"));
        hosts.add(normalise(boundHost));
        if (isWildcard(boundHost)) {
            hosts.addAll(machineNames());
        }
        extraHosts.forEach(h -> hosts.add(normalise(h)));
        hosts.remove("");
        return new HostPolicy(Collections.unmodifiableSet(hosts));
    }

    /** The allowed host names, for messages and tests. */
    Set<String> hosts() {
        return hosts;
    }

    /**
     * Refuses with 403 a request for a host name this server does not answer to, or from a web
     * page on another host. Either header may be null (absent).
     */
    void check(String hostHeader, String originHeader) {
        if (hostHeader != null && !hosts.contains(hostOf(hostHeader))) {
            throw new HttpProblem(403, "request for host '" + printable(hostHeader) + "' refused: this server answers"
                    + " to " + String.join(", ", hosts) + " (start it with --allow-host NAME to add a name)");
        }
        if (originHeader != null && !hosts.contains(originHost(originHeader))) {
            throw new HttpProblem(403, "request from the page at '" + printable(originHeader) + "' refused: only pages"
                    + " on " + String.join(", ", hosts) + " may send requests here (start the server with --allow-host"
                    + " NAME to add a host)");
        }
    }

    /** The host of a Host header: without the port, IPv6 without brackets, lower case. */
    static String hostOf(String hostHeader) {
        String h = hostHeader.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? "" : normalise(h.substring(1, end));
        }
        int colon = h.indexOf(':');
        return normalise(colon >= 0 && colon == h.lastIndexOf(':') ? h.substring(0, colon) : h);
    }

    /** The host of an Origin header ("http://name:port"); "" for "null" or anything but http(s). */
    private static String originHost(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                return "";
            }
            String host = uri.getHost();
            return normalise(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (java.net.URISyntaxException e) {
            return "";
        }
    }

    private static String normalise(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static boolean isWildcard(String host) {
        String h = normalise(host);
        return h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0");
    }

    /** This machine's addresses and names: what clients on the network may call a server bound to all. */
    private static List<String> machineNames() {
        List<String> names = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    String a = address.getHostAddress();
                    int zone = a.indexOf('%');
                    names.add(normalise(zone >= 0 ? a.substring(0, zone) : a));
                }
            }
        } catch (SocketException e) {
            // no interfaces listed: loopback and the --allow-host names remain
        }
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(normalise(local.getHostName()));
            names.add(normalise(local.getCanonicalHostName()));
        } catch (UnknownHostException e) {
            // no name for this machine
        }
        return names;
    }

    private static String printable(String header) {
        String s = header.replaceAll("[^\\p{Print}]", "?");
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
