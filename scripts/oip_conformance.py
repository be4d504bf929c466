"""Open Inference Protocol conformance of ml-api, driven by tritonclient[http].

Run by scripts/oip-conformance.sh, which starts the server and makes the venv.
For every target (an OIP model version, "" for the unversioned routes, and the
v1 route that serves the same model) it checks health, server and model
metadata, then infers the same rows with JSON tensors and with binary tensors
(the client's default) and compares each price with the v1 route's.

Binary tensors have no null: a missing number goes as NaN and a missing label
as an empty string, which the server reads as missing (ml-api/README.md). JSON
tensors from tritonclient cannot carry a missing value at all (NaN is not
JSON, None would become the text "None"), so the JSON check leaves out the
columns with a missing value in its rows, from both requests alike.
"""

import argparse
import csv
import json
import math
import sys
import urllib.error
import urllib.request

import numpy as np
import tritonclient.http as http

MODEL = "regression-model"
ROWS = 25
TOLERANCE = 1e-9


def fail(message):
    print(f"oip conformance: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def read_rows(path, inputs):
    """The CSV's rows as {column: value}, for the model's input columns only:
    numbers as floats, labels as text, missing (NA or empty) as None."""
    kinds = {i["name"]: i["datatype"] for i in inputs}
    rows = []
    with open(path, newline="") as f:
        for raw in csv.DictReader(f):
            row = {}
            for name, datatype in kinds.items():
                text = raw.get(name, "")
                if text in ("", "NA"):
                    row[name] = None
                elif datatype == "FP64":
                    row[name] = float(text)
                else:
                    row[name] = text
            rows.append(row)
    return rows


def v1_prices(base, path, records):
    """{index: price} of the records the v1 route accepts."""
    request = urllib.request.Request(
        base + path,
        data=json.dumps(records).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request) as response:
            body = json.load(response)
    except urllib.error.HTTPError as e:
        fail(f"POST {path}: {e.code} {e.read()[:300]!r}")
    return {p["row"]: p["price"] for p in body["predictions"]}


def tensors(rows, columns, kinds, binary):
    inputs = []
    for name in columns:
        if kinds[name] == "FP64":
            data = np.array(
                [[math.nan if r[name] is None else r[name]] for r in rows], dtype=np.float64
            )
        else:
            data = np.array([["" if r[name] is None else r[name]] for r in rows], dtype=np.object_)
        tensor = http.InferInput(name, list(data.shape), kinds[name])
        tensor.set_data_from_numpy(data, binary_data=binary)
        inputs.append(tensor)
    return inputs


def compare(label, got, expected):
    check(len(got) == len(expected), f"{label}: {len(got)} prices for {len(expected)} rows")
    for i, (g, e) in enumerate(zip(got, expected)):
        check(
            abs(g - e) <= TOLERANCE * abs(e),
            f"{label}: row {i}: OIP price {g!r}, v1 price {e!r}",
        )
    print(f"  {label}: {len(got)} prices equal to the v1 route's")


def check_target(client, base, version, v1_path, csv_path):
    where = f"/v2/models/{MODEL}" + (f"/versions/{version}" if version else "")
    print(f"{where} (against {v1_path})")
    check(client.is_model_ready(MODEL, version), f"{where}/ready: not ready")
    metadata = client.get_model_metadata(MODEL, version)
    check(metadata["name"] == MODEL, f"{where}: metadata names {metadata['name']!r}")
    if version:
        # An alias (champion, challenger) answers with the name it points at.
        alias = version in ("champion", "challenger")
        check(len(metadata["versions"]) == 1 and (alias or version in metadata["versions"]),
              f"{where}: metadata versions {metadata['versions']}")
    check(
        [o["name"] for o in metadata["outputs"]] == ["price"],
        f"{where}: outputs {metadata['outputs']}",
    )
    inputs = metadata["inputs"]
    kinds = {i["name"]: i["datatype"] for i in inputs}
    check(set(kinds.values()) <= {"FP64", "BYTES"}, f"{where}: input datatypes {kinds}")
    print(f"  metadata: {len(inputs)} inputs, output price")

    rows = read_rows(csv_path, inputs)
    accepted = v1_prices(base, v1_path, rows[: ROWS * 4])
    chosen = sorted(accepted)[:ROWS]
    check(len(chosen) >= 5, f"{v1_path} accepted only {len(chosen)} rows")
    rows = [rows[i] for i in chosen]
    expected = [accepted[i] for i in chosen]

    # Binary tensors in, binary prices out: tritonclient's defaults.
    result = client.infer(MODEL, tensors(rows, list(kinds), kinds, True), model_version=version)
    compare("binary in, binary out", result.as_numpy("price").tolist(), expected)
    # Binary tensors in, JSON prices out.
    result = client.infer(
        MODEL,
        tensors(rows, list(kinds), kinds, True),
        model_version=version,
        outputs=[http.InferRequestedOutput("price", binary_data=False)],
    )
    compare("binary in, JSON out", result.as_numpy("price").tolist(), expected)

    # JSON tensors, with the columns that have a missing value left out.
    complete = [name for name in kinds if all(r[name] is not None for r in rows)]
    reduced = [{name: r[name] for name in complete} for r in rows]
    accepted = v1_prices(base, v1_path, reduced)
    keep = sorted(accepted)
    check(len(keep) >= 5, f"{v1_path} accepted only {len(keep)} rows of {len(complete)} columns")
    reduced = [rows[i] for i in keep]
    for binary_out in (False, True):
        result = client.infer(
            MODEL,
            tensors(reduced, complete, kinds, False),
            model_version=version,
            request_id="json-1",
            outputs=[http.InferRequestedOutput("price", binary_data=binary_out)],
        )
        check(result.get_response()["id"] == "json-1", "the request id is not echoed")
        out = "binary" if binary_out else "JSON"
        compare(
            f"JSON in ({len(complete)} columns), {out} out",
            result.as_numpy("price").tolist(),
            [accepted[i] for i in keep],
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="host:port of the server")
    parser.add_argument("--rows", required=True, help="a CSV of houses (Kaggle's columns)")
    parser.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="VERSION=V1_PATH",
        help="also check /v2/models/regression-model/versions/VERSION against V1_PATH",
    )
    args = parser.parse_args()
    # (OIP model version, "" for the unversioned routes; v1 route of the same model)
    targets = [("", "/v1/predict/regression")]
    for target in args.target:
        version, _, path = target.partition("=")
        check(version and path.startswith("/"), f"--target {target!r}: expected VERSION=/v1/...")
        targets.append((version, path))

    client = http.InferenceServerClient(url=args.url)
    base = f"http://{args.url}"
    check(client.is_server_live(), "/v2/health/live: not live")
    check(client.is_server_ready(), "/v2/health/ready: not ready")
    server = client.get_server_metadata()
    check(
        "binary_tensor_data" in server.get("extensions", []),
        f"/v2 does not announce binary_tensor_data: {server}",
    )
    print(f"server {server['name']} {server['version']}: live, ready, extensions {server['extensions']}")
    for version, v1_path in targets:
        check_target(client, base, version, v1_path, args.rows)
    print("oip conformance: ok")


if __name__ == "__main__":
    main()
