"""Install kernels/*/kernel.json for a Jupyter started outside make (``make kernels``).

The committed specs use ``{prefix}`` (the environment running Jupyter), which only
works for the project's own .venv.  For any other Jupyter, the installed copies point at
this checkout's virtual environments by absolute path: they are machine-specific by
nature, so they are generated here and installed into the user's Jupyter folder.
"""

import json
import sys
import tempfile
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

root = Path(__file__).resolve().parents[1]
prefix = str(root / ".venv")
manager = KernelSpecManager()
for spec_dir in sorted((root / "kernels").iterdir()):
    spec = json.loads((spec_dir / "kernel.json").read_text())
    spec["argv"] = [a.replace("{prefix}", prefix) for a in spec["argv"]]
    python = Path(spec["argv"][0]).resolve()
    if not python.exists():
        sys.exit("error: %s is missing; run `make setup` first" % python)
    spec["argv"][0] = str(python)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "kernel.json").write_text(json.dumps(spec, indent=1))
        dest = manager.install_kernel_spec(tmp, spec_dir.name, user=True, replace=True)
    print("installed kernel %-9s -> %s (%s)" % (spec_dir.name, dest, spec["argv"][0]))
