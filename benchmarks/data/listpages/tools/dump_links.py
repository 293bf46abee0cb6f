#!/usr/bin/env python3
"""Dump every <a href> of a saved page with a short DOM path, for hand judging.
Usage: dump_links.py FILE BASEURL [--grep SUBSTR]"""
import sys, re
from urllib.parse import urljoin
from lxml import html as LH

def decode(b):
    try:
        return b.decode('utf-8')
    except UnicodeDecodeError:
        return b.decode('gb18030', errors='replace')

def short(el):
    parts = []
    e = el
    while e is not None and isinstance(e.tag, str) and e.tag not in ('html',):
        s = e.tag
        if e.get('id'): s += '#' + e.get('id').strip().replace(' ', '_')
        if e.get('class'): s += '.' + '.'.join(e.get('class').split())
        parts.append(s)
        e = e.getparent()
    return ' > '.join(reversed(parts))

def main():
    f, base = sys.argv[1], sys.argv[2]
    doc = LH.fromstring(decode(open(f, 'rb').read()))
    for i, a in enumerate(doc.iter('a')):
        h = a.get('href')
        if h is None: continue
        t = re.sub(r'\s+', ' ', a.text_content()).strip()[:50]
        par = a.getparent()
        print(f"{i}\t{short(par)[-110:]}\t{t}\t{h.strip()[:120]}")
main()
