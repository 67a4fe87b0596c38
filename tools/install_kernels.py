"""Install kernels/*/kernel.json for a Jupyter started outside make (``make kernels``).

The committed specs use ``{prefix}`` (the environment running Jupyter), which only
works for the project's own .venv.  For any other Jupyter, the installed copies point at
this checkout's virtual environments by absolute path: they are machine-specific by
nature, so they are generated here and installed into the user's Jupyter folder
(``JUPYTER_DATA_DIR`` moves it).  The path is the virtual environment's own ``python``,
not the interpreter its symlink leads to: started by that path, Python finds the
environment (ipykernel, jitgap); started as the interpreter it links to, it would not.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def kernel_spec(spec_dir, prefix=ROOT / ".venv"):
    """The spec of ``spec_dir`` with ``{prefix}`` made an absolute path, symlinks kept."""
    spec = json.loads((spec_dir / "kernel.json").read_text())
    spec["argv"] = [a.replace("{prefix}", str(prefix)) for a in spec["argv"]]
    spec["argv"][0] = os.path.normpath(os.path.abspath(spec["argv"][0]))
    return spec


def main(argv=None):
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    from jupyter_client.kernelspec import KernelSpecManager
    manager = KernelSpecManager()
    for spec_dir in sorted((ROOT / "kernels").iterdir()):
        spec = kernel_spec(spec_dir)
        if not os.path.exists(spec["argv"][0]):
            print("error: %s is missing; run `make setup` first" % spec["argv"][0],
                  file=sys.stderr)
            return 1
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "kernel.json").write_text(json.dumps(spec, indent=1))
            dest = manager.install_kernel_spec(tmp, spec_dir.name, user=True)
        print("installed kernel %-9s -> %s (%s)" % (spec_dir.name, dest, spec["argv"][0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
