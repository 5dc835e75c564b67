#!/usr/bin/env python3
"""Writes demo/public/chelsea.jpg, the gallery's photograph: scikit-image's sample "Chelsea the
cat" (CC0, by the photographer Stefan van der Walt), downscaled to 360 x 240.

Usage (from the repository root): /usr/bin/python3 scripts/make_demo_photo.py
(Debian: apt-get install python3-skimage, which ships the image and Pillow.)"""
import os

from PIL import Image

SOURCE = "/usr/lib/python3/dist-packages/skimage/data/chelsea.png"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "demo", "public", "chelsea.jpg")

image = Image.open(SOURCE).convert("RGB").resize((360, 240), Image.LANCZOS)
image.save(OUT, quality=90, optimize=True)
print(f"wrote {OUT}: {os.path.getsize(OUT)} bytes")
