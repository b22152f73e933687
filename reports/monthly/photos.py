"""An activity's photo, kept small: whatever the phone sends is turned into a JPEG of at most
1024 px on its longer side (about 100–200 KB), its EXIF (place, phone) dropped. The page's script
shrinks it the same way before the upload, so a cadre on 3G sends a few hundred KB, not 5 MB."""

import io

from django import forms
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1024
MAX_UPLOAD = 10 * 1024 * 1024  # what the server accepts before shrinking (a phone camera's full photo)
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; more is a malformed or hostile file
QUALITY = 70


def shrink(upload) -> bytes:
    """The upload as a small JPEG, or a ValidationError saying what is wrong with it."""
    if upload.size > MAX_UPLOAD:
        raise forms.ValidationError(_("Foto terlalu besar (paling banyak 10 MB)."))
    try:
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise forms.ValidationError(_("Foto terlalu besar (paling banyak 50 megapiksel)."))
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            output = io.BytesIO()
            image.save(output, "JPEG", quality=QUALITY, optimize=True)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise forms.ValidationError(_("Foto tidak dapat dibaca: kirim berkas gambar JPG atau PNG.")) from None
    return output.getvalue()
