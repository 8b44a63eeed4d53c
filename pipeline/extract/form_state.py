"""Form XObjects drawn outside q/Q, which pdfminer lets shift the text drawn after them.

A Form XObject is drawn in the graphics state of its caller: its /Matrix applies to its own
content only. pdfminer (20260107) draws a form with a second interpreter that sets the shared
device's transformation matrix to the form's and never sets it back, so until the caller's next
q, Q or cm, everything drawn after the form is placed as if inside it. Producers that call a
form inside q/Q are unaffected; pdfjs (rkusa) draws its page footer as a form with a /Matrix
and no q/Q around it, which moved the next lines, the theme title among them, 531 pt down.

`restore_state_after_forms()` gives the device the caller's matrix back after each form.
"""

from __future__ import annotations

from typing import Any

from pdfminer.pdfinterp import PDFPageInterpreter


def restore_state_after_forms() -> None:
    """Make pdfminer draw what follows a Form XObject in the caller's own matrix (idempotent)."""
    if getattr(PDFPageInterpreter.do_Do, "restores_state", False):
        return
    original = PDFPageInterpreter.do_Do

    def do_Do(self: PDFPageInterpreter, xobjid_arg: Any) -> None:  # noqa: N802 - pdfminer's name
        original(self, xobjid_arg)
        self.device.set_ctm(self.ctm)

    do_Do.restores_state = True  # type: ignore[attr-defined]
    PDFPageInterpreter.do_Do = do_Do  # type: ignore[method-assign]
