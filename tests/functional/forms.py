"""What a browser without JavaScript submits for a form of a page: its fields and their current values."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """Collect the successful controls of the first form whose start tag contains ``marker``."""

    def __init__(self, marker: str):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.inside = False
        self.template = 0
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.option: tuple[str, bool] | None = None
        self.option_text = ""
        self.textarea: str | None = None
        self.text = ""
        self.done = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and not self.inside:
            self.inside = self.marker in self.get_starttag_text()
            return
        if not self.inside:
            return
        if tag == "template":
            self.template += 1
        if self.template:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self.select, self.options = name, []
        elif tag == "option" and self.select is not None:
            self.option, self.option_text = (a.get("value"), "selected" in a), ""
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data
        if self.option is not None:
            self.option_text += data

    def handle_endtag(self, tag):
        if not self.inside or self.done:
            return
        if tag == "template":
            self.template -= 1
        elif self.template:
            return
        elif tag == "option" and self.option is not None:
            value, selected = self.option
            self.options.append((value if value is not None else self.option_text, selected))
            self.option = None
        elif tag == "select" and self.select is not None:
            chosen = [v for v, s in self.options if s] or [v for v, _ in self.options[:1]]
            if chosen:
                self.fields.append((self.select, chosen[0]))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.done = True


def form_fields(page: str, marker: str) -> dict[str, str]:
    """The fields the first form whose start tag contains ``marker`` (e.g. its action) submits."""
    parser = _FormFields(marker)
    parser.feed(page)
    assert parser.done, f"no form with {marker!r} on the page"
    return dict(parser.fields)
