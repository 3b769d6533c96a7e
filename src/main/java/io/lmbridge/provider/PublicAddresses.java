package io.lmbridge.provider;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Which addresses the gateway may fetch from on a client's behalf: those on the public internet. */
public final class PublicAddresses {

  /** NAT64's well-known prefix (RFC 6052): 64:ff9b::a.b.c.d reaches the IPv4 address a.b.c.d. */
  private static final byte[] NAT64_PREFIX = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  private static final byte[] COMPATIBLE_PREFIX = new byte[12];
  private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

  private PublicAddresses() {
  }

  /**
   * Whether an address is on the public internet: not unspecified, loopback, link-local, private
   * (RFC 1918, IPv6 unique-local), carrier-grade NAT, multicast or broadcast. An IPv6 address that
   * carries an IPv4 one (IPv4-mapped, IPv4-compatible, NAT64) is judged by the IPv4 address, since
   * that is where a connection to it ends up.
   */
  public static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = bytes[0] & 0xff;
      int second = bytes[1] & 0xff;
      boolean thisNetwork = first == 0;
      boolean carrierNat = first == 100 && second >= 64 && second < 128;
      boolean broadcast = first == 255;
      return !thisNetwork && !carrierNat && !broadcast;
    }
    byte[] prefix = Arrays.copyOf(bytes, 12);
    if (Arrays.equals(prefix, MAPPED_PREFIX) || Arrays.equals(prefix, COMPATIBLE_PREFIX)
        || Arrays.equals(prefix, NAT64_PREFIX)) {
      return isPublic(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
    }
    boolean uniqueLocal = (bytes[0] & 0xfe) == 0xfc;
    return !uniqueLocal;
  }

  private static InetAddress ipv4(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }
}
