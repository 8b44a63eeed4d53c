"""Driver of r_plotly, run by the interpreter of its own virtualenv (plotly 5.24.1 + kaleido 0.2.1).

    python r_plotly_driver.py JOB.json     # writes one PDF per figure, prints a JSON report
    python r_plotly_driver.py --version

The job holds plain Plotly figure dicts ({"data": [...], "layout": {...}}), as a dashboard keeps them; each is
turned into a `go.Figure` and exported by `fig.write_image(path, format="pdf", width=, height=, scale=)`.
"""

from __future__ import annotations

import json
import sys

PLOTLY = "5.24.1"
KALEIDO = "0.2.1"


def versions() -> dict:
    import kaleido
    import plotly

    return {"plotly": plotly.__version__, "kaleido": kaleido.__version__}


def main(argv: list[str]) -> int:
    v = versions()
    if argv[:1] == ["--version"]:
        print(json.dumps(v))
        return 0
    if v != {"plotly": PLOTLY, "kaleido": KALEIDO}:
        raise SystemExit(f"plotly {PLOTLY} and kaleido {KALEIDO} are wanted, {v} is installed")
    import plotly.graph_objects as go
    import plotly.io as pio

    with open(argv[0], encoding="utf-8") as fh:
        job = json.load(fh)
    if not job.get("mathjax_box"):
        # without this, the first export of a session prints kaleido's 'Loading [MathJax]/extensions/MathMenu.js'
        pio.kaleido.scope.mathjax = None
    out = []
    for i, p in enumerate(job["pages"]):
        fig = go.Figure(p["fig"])
        path = f"{job['dir']}/slide-{i + 1:03d}.pdf"
        fig.write_image(path, format="pdf", width=p["width"], height=p["height"], scale=p["scale"])
        out.append(path)
    print(json.dumps({"files": out, **v}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
