#!/usr/bin/python3
"""Writes the seed corpus of the fuzzers (tests/fuzz/corpus/<fuzzer>/):
the tests' configurations and snippets, ARP and ND frames (scapy), and
deterministic operation programs for the core.  Run from the top of the
source tree; the output is committed."""
import glob
import os
import random
import shutil

from scapy.all import (ARP, Dot1Q, Ether, ICMPv6ND_NA, ICMPv6ND_NS,
                       ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, IPv6, raw)

d = 'tests/fuzz/corpus/'
for f in ('fuzz_conf', 'fuzz_codec', 'fuzz_core'):
    os.makedirs(d + f, exist_ok=True)
for f in sorted(glob.glob('tests/data/*.conf')) + ['conf/parpd.conf']:
    shutil.copy(f, d + 'fuzz_conf/' +
                os.path.basename(f).replace('parpd.conf', 'example.conf'))
snips = {
    'empty.conf': '',
    'cache.conf': 'cache\n\ttimeout 60\n\ttablesize 1024\n\tlimit 100\n'
                  '\trefresh 3*5\n\tdelay 2*0.5\nend\n',
    'tell.conf': 'interface eth0\n\trule 198.51.100.0/24 198.51.100.0/24 '
                 'tell\nend\n',
    'redirect.conf': 'interface eth0\n\trule 198.51.100.0/24 0.0.0.0/0 '
                     '198.51.100.1\n\trule 2001:db8::/32 ::/0 2001:db8::1\n'
                     'end\n',
    'static.conf': 'interface eth0\n\tstatic 198.51.100.9 02:00:00:00:00:09\n'
                   '\tstatic 2001:db8::9 02:00:00:00:00:09\nend\n',
    'flags.conf': 'interface "eth 1"\n\troutes\n\ttimeout 1.5\n\trule '
                  '203.0.113.0/24 203.0.113.0/25 verbose delay ignore\nend\n',
    'paths.conf': 'pidfile "/var/run/p.pid"\ndumpfile /var/db/p.dump\n',
    'unclosed.conf': 'interface eth0\n\trule 198.51.100.0/24\ncache\n',
    'badchar.conf': 'interface e\x01\n\trule 198.51.100.1/33 x tell\nend\n'
                    'end\n',
    'comment.conf': '# comment\ninterface eth0 # trailing\n\trule '
                    '192.0.2.0/24 192.0.2.0/24 tell # t\nend\n',
    'quote.conf': 'interface "unterminated\n',
    'dup.conf': 'cache\n\ttimeout 1\n\ttimeout 2\nend\ncache\nend\n',
}
for k, v in snips.items():
    with open(d + 'fuzz_conf/' + k, 'w') as f:
        f.write(v)

m1 = '02:00:00:00:00:01'
m2 = '02:00:00:00:00:02'
bc = 'ff:ff:ff:ff:ff:ff'
fr = {
    'arp_request': Ether(src=m1, dst=bc) / ARP(op=1, hwsrc=m1,
        psrc='198.51.100.10', pdst='198.51.100.20'),
    'arp_reply': Ether(src=m2, dst=m1) / ARP(op=2, hwsrc=m2,
        psrc='198.51.100.20', hwdst=m1, pdst='198.51.100.10'),
    'arp_probe': Ether(src=m1, dst=bc) / ARP(op=1, hwsrc=m1, psrc='0.0.0.0',
        pdst='198.51.100.30'),
    'arp_gratuitous': Ether(src=m1, dst=bc) / ARP(op=1, hwsrc=m1,
        psrc='198.51.100.10', pdst='198.51.100.10'),
    'arp_vlan': Ether(src=m1, dst=bc) / Dot1Q(vlan=5) / ARP(op=1, hwsrc=m1,
        psrc='192.0.2.1', pdst='192.0.2.2'),
    'ns': Ether(src=m1, dst='33:33:ff:00:00:20') / IPv6(src='2001:db8:1::10',
        dst='ff02::1:ff00:20', hlim=255) / ICMPv6ND_NS(tgt='2001:db8:1::20')
        / ICMPv6NDOptSrcLLAddr(lladdr=m1),
    'ns_dad': Ether(src=m1, dst='33:33:ff:00:00:30') / IPv6(src='::',
        dst='ff02::1:ff00:30', hlim=255) / ICMPv6ND_NS(tgt='2001:db8:1::30'),
    'ns_unicast': Ether(src=m1, dst=m2) / IPv6(src='2001:db8:1::10',
        dst='2001:db8:1::20', hlim=255) / ICMPv6ND_NS(tgt='2001:db8:1::20'),
    'na_solicited': Ether(src=m2, dst=m1) / IPv6(src='2001:db8:1::20',
        dst='2001:db8:1::10', hlim=255) / ICMPv6ND_NA(tgt='2001:db8:1::20',
        R=0, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=m2),
    'na_unsolicited': Ether(src=m2, dst='33:33:00:00:00:01') /
        IPv6(src='2001:db8:1::20', dst='ff02::1', hlim=255) /
        ICMPv6ND_NA(tgt='2001:db8:1::20', R=1, S=0, O=1) /
        ICMPv6NDOptDstLLAddr(lladdr=m2),
    'na_linklocal': Ether(src=m2, dst=m1) / IPv6(src='fe80::2', dst='fe80::1',
        hlim=255) / ICMPv6ND_NA(tgt='fe80::2', S=1, O=0),
    'ns_hlim64': Ether(src=m1, dst='33:33:ff:00:00:20') /
        IPv6(src='2001:db8:1::10', dst='ff02::1:ff00:20', hlim=64) /
        ICMPv6ND_NS(tgt='2001:db8:1::20'),
}
for k, p in fr.items():
    with open(d + 'fuzz_codec/' + k, 'wb') as f:
        f.write(raw(p))
with open(d + 'fuzz_codec/short', 'wb') as f:
    f.write(raw(fr['arp_request'])[:20])
open(d + 'fuzz_codec/empty', 'wb').close()

# The core's input is a program of small operations: random programs from
# a fixed seed, and frames behind two zero bytes.
rnd = random.Random(7)
for i in range(16):
    n = rnd.choice([16, 64, 256, 1024])
    with open(d + 'fuzz_core/prog%02d' % i, 'wb') as f:
        f.write(bytes(rnd.randrange(256) for _ in range(n)))
for k in ('arp_request', 'ns', 'na_unsolicited', 'arp_reply'):
    with open(d + 'fuzz_core/' + k, 'wb') as f:
        f.write(bytes([0, 0]) + raw(fr[k]))
open(d + 'fuzz_core/empty', 'wb').close()
