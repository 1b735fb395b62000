#!/usr/bin/env python3
"""Trunk post-build hook: puts a strict Content-Security-Policy in the built index.html.

Trunk writes one inline module script (the loader); the policy allows exactly that script by its SHA-256
hash, the page's own files, and WebAssembly compilation ('wasm-unsafe-eval'). Nothing else: no inline
styles, no other origins (connect-src 'self': the only fetch is the lazily loaded explain texts).
"""
import base64
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
path = os.path.join(staging, "index.html")
html = open(path, encoding="utf-8").read()
scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
hashes = " ".join(
    "'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in scripts
)
policy = (
    "default-src 'none'; "
    f"script-src 'self' 'wasm-unsafe-eval' {hashes}; "
    "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; "
    "base-uri 'none'; form-action 'none'; object-src 'none'"
)
meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}" />'
html = re.sub(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
html = html.replace('<meta charset="utf-8" />', '<meta charset="utf-8" />\n    ' + meta, 1)
if meta not in html:
    sys.exit("csp: could not find <meta charset> in index.html")
open(path, "w", encoding="utf-8").write(html)
print(f"csp: {len(scripts)} inline script(s) allowed by hash")
