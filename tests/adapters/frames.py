"""Crafted frames for tests/adapters/switch-lab.sh and tests/e2e/network.sh,
sent with Debian's scapy (/usr/bin/python3). Usage (inside a member's
namespace):
  frames.py dirty IFACE                 LLDP, STP BPDU (802.3/LLC), IPv6 RA,
                                        a frame from a second MAC, an
                                        802.1Q-tagged frame
  frames.py noise IFACE INTERVAL KIND...  sends the KINDs (bpdu, ra,
                                        second-mac) every INTERVAL seconds
                                        until killed (a misconfigured router)
  frames.py from-mac IFACE MAC DST_MAC COUNT   COUNT frames from MAC
  frames.py count IFACE SRC_MAC SECONDS  prints how many frames from SRC_MAC
                                        arrive on IFACE within SECONDS
"""
import signal
import sys
import time

from scapy.all import (ARP, ICMP, IP, LLC, STP, UDP, Dot1Q, Dot3, Ether, ICMPv6ND_RA, IPv6, Raw, conf,
                       get_if_hwaddr, sendp, sniff)

SECOND_MAC = "02:00:00:00:00:77"

# Each kind breaks one rule of the quarantine gate and nothing else.
KINDS = {
    "lldp": lambda me: Ether(src=me, dst="01:80:c2:00:00:0e", type=0x88CC) /
    Raw(b"\x02\x07\x04" + bytes.fromhex(me.replace(":", "")) + b"\x00\x00"),
    # STP needs 802.3 length framing: Ether()/LLC() would be an ethertype frame
    "bpdu": lambda me: Dot3(src=me, dst="01:80:c2:00:00:00") / LLC(dsap=0x42, ssap=0x42, ctrl=3) / STP(),
    "ra": lambda me: Ether(src=me, dst="33:33:00:00:00:01") / IPv6(src="fe80::1", dst="ff02::1") / ICMPv6ND_RA(),
    # broadcast ARP is allowed traffic: only its source MAC is wrong
    "second-mac": lambda me: Ether(src=SECOND_MAC, dst="ff:ff:ff:ff:ff:ff") /
    ARP(op=1, hwsrc=SECOND_MAC, psrc="192.0.2.77", pdst="192.0.2.1"),
}

conf.verb = 0
mode, iface = sys.argv[1], sys.argv[2]
if mode == "dirty":
    me = get_if_hwaddr(iface)
    frames = [KINDS[k](me) for k in ("lldp", "bpdu", "ra")] + [
        Ether(src="02:00:00:00:00:77", dst="ff:ff:ff:ff:ff:ff") / IP(src="192.0.2.77", dst="192.0.2.255") / UDP(dport=9),
        Ether(src=me, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=42) / IP(src="192.0.2.3", dst="192.0.2.255") / ICMP(),
    ]
    sendp(frames, iface=iface)
elif mode == "noise":
    me = get_if_hwaddr(iface)
    interval = float(sys.argv[3])
    frames = [KINDS[k](me) for k in sys.argv[4:]]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # One socket for the whole run: sendp() opens a new one each call, and
    # each open is a link notification in the namespace (about 5 a second
    # here), which kept postponing lldpd's interface update (it waits for a
    # quiet second), so lldpd never saw eth0's carrier come and sent nothing.
    sock = conf.L2socket(iface=iface)
    while True:
        for f in frames:
            sock.send(f)
        time.sleep(interval)
elif mode == "from-mac":
    mac, dst, count = sys.argv[3], sys.argv[4], int(sys.argv[5])
    sendp([Ether(src=mac, dst=dst, type=0x88B5) / Raw(b"x" * 100)] * count, iface=iface)
elif mode == "count":
    src, seconds = sys.argv[3].lower(), float(sys.argv[4])
    got = sniff(iface=iface, timeout=seconds, lfilter=lambda p: p.haslayer(Ether) and p[Ether].src == src)
    print(len(got))
else:
    sys.exit("unknown mode " + mode)
