"""Names vulture (tests/test_hygiene.py) takes for dead that a framework or another file calls.
Each entry says who uses it; a name here that the code loses is reported as unused by vulture too
(the whitelist is read as code that uses these names)."""
# ruff: noqa
from beichen import cli
from beichen.render import charts

# Sphinx calls an extension's setup(app) by module name (conf: _config.yml `extra_extensions`).
setup
# Sphinx reads these class attributes of a post-transform (pdf/composition.py, pdf/layout.py).
default_priority
# Sphinx's SearchLanguage reads the JavaScript word splitter from this attribute (site/search.py).
js_splitter_code
# Sphinx event handlers take the event's arguments in order, used or not
# (env-get-outdated: added, removed; html-page-context: templatename; doctree-resolved: docname).
added
removed
templatename
docname
# html.parser.HTMLParser calls these (site/search.py, site/policy.py).
handle_endtag
handle_data
handle_startendtag
handle_starttag
# gettext.NullTranslations: Sphinx's templates call ngettext on the translator (site/words.py).
ngettext
# argparse calls ArgumentParser.error on a refusal (cli.py).
cli.ArgumentParser.error
# http.server calls log_message for every request (site/preview.py).
log_message
# Registered with Altair by its decorator (@alt.theme.register) and enabled there (render/charts.py).
charts._beichen_theme
# jupyter_client reads client_class (a traitlet) and ip of a KernelManager (publish/build.py).
client_class
ip
# A signal handler's arguments (signal.signal calls it with both; publish/processes.py).
signum
frame
# Jinja's sandbox reads these class attributes and calls call_binop (render/template_limits.py).
code_generator_class
intercepted_binops
concat
bounded_iter
bounded_str_join
bounded_markup_join
call_binop
__self
# Attributes set on python-docx / openpyxl objects are written into the file (word/style.py,
# inputs/newyear.py, inputs/text_policy.py): vulture sees an assignment nothing reads.
freeze_panes
quotePrefix
italic
rgb
space_after
space_before
line_spacing_rule
line_spacing
first_line_indent
alignment
keep_with_next
page_break_before
page_height
page_width
bottom_margin
top_margin
left_margin
right_margin
header_distance
footer_distance
different_first_page_header_footer
odd_and_even_pages_header_footer
# Sphinx configuration values set on app.config (site/ui.py).
html_favicon
html_use_index
html_copy_source
