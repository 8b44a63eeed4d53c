"""WebKitGTK print driver (system python3 with PyGObject, under Xvfb): r_webkitgtk's other half.

Reads JSON jobs, one a line, from stdin; for each, loads the page in a WebKit2.WebView and prints it with
WebKit2.PrintOperation through GTK's print-to-file backend, as GNOME Web's Print dialog does with 'Print to File'
(no dialog: the settings a user would leave in it).  Answers one JSON line per job on stdout.

job: {"html": path, "out": pdf path, "w_mm", "h_mm" (paper, portrait sizes), "landscape": bool,
      "margins_mm": [top, bottom, left, right], "scale": percent, "backgrounds": bool, "paper": name or null,
      "delay_ms": wait after the load (web fonts)}
"""

from __future__ import annotations

import json
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402


def versions() -> dict:
    return {
        "webkit": f"{WebKit2.get_major_version()}.{WebKit2.get_minor_version()}.{WebKit2.get_micro_version()}",
        "gtk": f"{Gtk.get_major_version()}.{Gtk.get_minor_version()}.{Gtk.get_micro_version()}",
    }


class Printer:
    def __init__(self) -> None:
        self.view = WebKit2.WebView()
        s = self.view.get_settings()
        s.set_enable_javascript(True)
        s.set_allow_file_access_from_file_urls(True)
        self.win = Gtk.OffscreenWindow()
        self.win.set_default_size(1280, 900)
        self.win.add(self.view)
        self.win.show_all()
        self.view.connect("load-changed", self._loaded)
        self.view.connect("load-failed", self._load_failed)
        self.job: dict = {}
        self.result: dict = {}

    def run(self, job: dict) -> dict:
        self.job, self.result = job, {}
        self.view.get_settings().set_print_backgrounds(bool(job.get("backgrounds", True)))
        self.view.load_uri(GLib.filename_to_uri(job["html"], None))
        Gtk.main()
        return self.result

    def _load_failed(self, view, event, uri, error) -> bool:
        self.result = {"error": f"load failed: {error.message}"}
        Gtk.main_quit()
        return True

    def _loaded(self, view, event) -> None:
        if event == WebKit2.LoadEvent.FINISHED:
            GLib.timeout_add(int(self.job.get("delay_ms", 400)), self._print)

    def _print(self) -> bool:
        j = self.job
        ps = Gtk.PrintSettings()
        ps.set_printer("Print to File")
        ps.set(Gtk.PRINT_SETTINGS_OUTPUT_FILE_FORMAT, "pdf")
        ps.set(Gtk.PRINT_SETTINGS_OUTPUT_URI, GLib.filename_to_uri(j["out"], None))
        ps.set_scale(float(j.get("scale", 100)))
        ps.set_n_copies(1)
        setup = Gtk.PageSetup()
        if j.get("paper"):
            paper = Gtk.PaperSize.new(j["paper"])
        else:
            paper = Gtk.PaperSize.new_custom("deck", "deck", j["w_mm"], j["h_mm"], Gtk.Unit.MM)
        setup.set_paper_size(paper)
        orient = Gtk.PageOrientation.LANDSCAPE if j.get("landscape") else Gtk.PageOrientation.PORTRAIT
        setup.set_orientation(orient)
        ps.set_orientation(orient)
        ps.set_paper_size(paper)
        top, bottom, left, right = j.get("margins_mm", [0, 0, 0, 0])
        setup.set_top_margin(top, Gtk.Unit.MM)
        setup.set_bottom_margin(bottom, Gtk.Unit.MM)
        setup.set_left_margin(left, Gtk.Unit.MM)
        setup.set_right_margin(right, Gtk.Unit.MM)
        op = WebKit2.PrintOperation.new(self.view)
        op.set_print_settings(ps)
        op.set_page_setup(setup)
        op.connect("finished", self._finished)
        op.connect("failed", self._failed)
        op.print_()
        return False

    def _finished(self, op) -> None:
        self.result = self.result or {"ok": True}
        Gtk.main_quit()

    def _failed(self, op, error) -> None:
        self.result = {"error": f"print failed: {error.message}"}


def main() -> None:
    p = Printer()
    print(json.dumps({"ready": True, **versions()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            res = p.run(json.loads(line))
        except Exception as e:  # noqa: BLE001 - reported to the renderer
            res = {"error": repr(e)}
        print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
