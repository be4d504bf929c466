#!/usr/bin/env bash
# Create (or refresh) the pinned virtualenv of the Python parity oracle.
# Idempotent: re-running only installs what is missing or differs from requirements.txt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
    echo "setup.sh: Python >= 3.11 is required (tomllib); set PYTHON=..." >&2
    exit 1
fi

if [ ! -x "$here/.venv/bin/python" ]; then
    "$python" -m venv "$here/.venv"
fi

"$here/.venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$here/requirements.txt"

"$here/.venv/bin/python" - <<'PY'
import feature_engine, numpy, pandas, scipy, sklearn
import fastapi, flask, gunicorn, pydantic, uvicorn
from importlib.metadata import version
print(
    "python-reference venv ready:",
    f"scikit-learn {sklearn.__version__}, feature-engine {feature_engine.__version__},",
    f"pandas {pandas.__version__}, numpy {numpy.__version__}, scipy {scipy.__version__};",
    f"APIs: flask {version('flask')}, gunicorn {gunicorn.__version__},",
    f"fastapi {fastapi.__version__}, pydantic {pydantic.VERSION}, uvicorn {uvicorn.__version__}",
)
PY
