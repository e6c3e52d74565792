"""Icons without Font Awesome (1.4 MB script, CSS, three web fonts): the dozen the pages use are simple
strokes drawn as CSS masks in the text colour (:data:`ICONS_CSS`); the favicon in the brand colour."""
from __future__ import annotations

from beichen.site.assets import brand_colour

_SVG = ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='black' "
        "stroke-width='2.2' stroke-linecap='round' stroke-linejoin='round'>{}</svg>")
_ICON_SHAPES = {
    "bars": "<path d='M3 6h18M3 12h18M3 18h18'/>",
    "list": "<path d='M9 6h12M9 12h12M9 18h12'/><circle cx='4' cy='6' r='1'/><circle cx='4' cy='12' r='1'/>"
            "<circle cx='4' cy='18' r='1'/>",
    "magnifying-glass": "<circle cx='10.5' cy='10.5' r='6.5'/><path d='M15.5 15.5L21 21'/>",
    "angle-left": "<path d='M15 5l-7 7 7 7'/>",
    "angle-right": "<path d='M9 5l7 7-7 7'/>",
    "arrow-up": "<path d='M12 20V5M5 11l7-7 7 7'/>",
    "file-pdf": "<path d='M6 2h9l5 5v15H6z'/><path d='M14 2v6h6'/><path d='M9 13h6M9 17h6'/>",
    "download": "<path d='M12 3v12M6 10l6 6 6-6M4 21h16'/>",
    "chevron-down": "<path d='M5 9l7 7 7-7'/>",
    "chevron-right": "<path d='M9 5l7 7-7 7'/>",
    "xmark": "<path d='M5 5l14 14M19 5L5 19'/>",
}


def _icon_url(shape: str) -> str:
    svg = _SVG.format(shape).replace("<", "%3C").replace(">", "%3E").replace("#", "%23")
    return f'url("data:image/svg+xml;utf8,{svg}")'


ICONS_CSS = "\n".join(
    [".fa-solid, .fas { display: inline-block; width: 1em; height: 1em; vertical-align: -.125em; }",
     ".fa-lg { width: 1.25em; height: 1.25em; vertical-align: -.2em; }"]
    + [f".fa-{name} {{ background-color: currentColor; -webkit-mask: {_icon_url(shape)} center / contain no-repeat;"
       f" mask: {_icon_url(shape)} center / contain no-repeat; }}" for name, shape in _ICON_SHAPES.items()]
    # the theme draws toc expanders with FA's web font (::before content): use the same masks
    + [".toctree-toggle::before, .toctree-checkbox~label i::before { content: none !important; }",
       # the themes' own icon glyphs in Font Awesome's font (no longer loaded): masks, or nothing
       "a.reference.download::before { content: '' !important; display: inline-block; width: .85em; height: .85em;"
       " padding: 0 !important; margin: 0 .3em 0 .1em; vertical-align: -.1em; background-color: currentColor;"
       f" -webkit-mask: {_icon_url(_ICON_SHAPES['download'])} center / contain no-repeat;"
       f" mask: {_icon_url(_ICON_SHAPES['download'])} center / contain no-repeat; }}",
       ".bd-sidebar-secondary .onthispage::after { content: none !important; }"]) + "\n"



def favicon_svg() -> str:
    """The site's icon: four bars on the brand colour."""
    return ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='5' "
            f"fill='{brand_colour()}'/><path d='M8 23V12M14 23V8M20 23v-7M26 23V11' stroke='#fff' "
            "stroke-width='3.2' stroke-linecap='round'/></svg>\n")


def favicon_data_uri() -> str:
    """The same icon inline, for the landing page (site/index.html), which has no _static/ of its own:
    without an icon link the browser asks the server for /favicon.ico (a 404)."""
    return "data:image/svg+xml," + "".join(
        c if c.isalnum() or c in "=:/.-'" else "%{:02X}".format(ord(c)) for c in favicon_svg().strip())
