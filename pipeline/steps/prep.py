#!/usr/bin/env python3
"""Prep step of creditai-training (SageMaker Processing, scikit-learn image).

Reads the raw credit applications (every *.csv under the input directory), checks that every column the model
and the fairness analysis need is present and valid, one-hot encodes the categoricals with the vocabularies of
config.json, splits the rows into train/validation/test (stratified by the label, seeded) and writes:

  <output>/train/train.csv, <output>/validation/validation.csv, <output>/test/test.csv
      XGBoost-ready: label first, then the model features in config.json order, no header;
  <output>/clarify/clarify.csv
      the test rows for SageMaker Clarify: label, features, then the protected attribute (never a model input);
  <output>/lineage/lineage.json
      training_data_uri, training_data_hash (sha256:<hex>), hyperparameters, row counts;
  <output>/baseline/statistics.json
      baseline statistics of the training split's raw features in SageMaker Model Monitor's statistics.json layout
      (per feature: type, counts, missing, mean/std/min/max and 10 equal-frequency buckets, or the category
      counts), registered as the model package's DriftCheckBaselines; the drift check compares live traffic
      against it (shared/judge/drift, whose TypeScript builder computes the same buckets).

The hash is the SHA-256 of the input file (what `sha256sum file` prints); with several files, the SHA-256 of
their `sha256sum` listing (`<hex>  <relative path>` lines sorted by path), so an auditor can recompute it.

Paths default to SageMaker's (/opt/ml/processing/...); tests pass their own. A data problem exits with status 2
and lists every problem found. Generated configuration: config.json next to this script (do not edit it, it comes
from scripts/pipeline/definition.ts).
"""
import argparse
import hashlib
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

PROCESSING = Path("/opt/ml/processing")
# CustomerMetadataProperties values: 1-256 characters of letters, digits, space and _.:/=+-@ (aws-facts §4.2).
METADATA_VALUE = re.compile(r"^[\w .:/=+\-@]{1,256}$")
MIN_ROWS = 100
# Plausible ranges: a value outside is a data error, not an outlier to keep.
RANGES = {
    "annual_income": (0, None),
    "employment_years": (0, 80),
    "age": (18, 110),
    "debt_to_income": (0, 10),
    "credit_lines": (0, 200),
    "delinquencies": (0, 200),
    "loan_amount": (0, None),
}
INTEGER_COLUMNS = ("credit_lines", "delinquencies")
# Model Monitor materialises 10 KLL buckets; ours are equal-frequency, at most as many.
BASELINE_BUCKETS = 10


class DataError(Exception):
    """The input data cannot be trained on; the message lists every problem found."""


def load_config(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def input_files(input_dir):
    """Every CSV under input_dir, sorted by relative path."""
    files = sorted(p for p in Path(input_dir).rglob("*.csv") if p.is_file())
    if not files:
        raise DataError(f"No CSV file under {input_dir}: InputDataUri must point at the applications CSV (or a prefix holding them)")
    return files


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_hash(input_dir, files):
    """sha256:<hex> of the data, and the per-file listing it derives from."""
    listing = [{"path": p.relative_to(input_dir).as_posix(), "sha256": sha256_of(p), "bytes": p.stat().st_size} for p in files]
    if len(listing) == 1:
        return f"sha256:{listing[0]['sha256']}", listing
    manifest = "".join(f"{f['sha256']}  {f['path']}\n" for f in listing)
    return f"sha256:{hashlib.sha256(manifest.encode('utf-8')).hexdigest()}", listing


def read_applications(files):
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in files]
    columns = [list(f.columns) for f in frames]
    if any(c != columns[0] for c in columns):
        raise DataError("The input CSV files do not share one header: " + "; ".join(f"{p.name}: {','.join(c)}" for p, c in zip(files, columns)))
    return pd.concat(frames, ignore_index=True)


def _rows(mask, limit=5):
    """Human row numbers (header is line 1) of the first offending rows."""
    rows = [str(i + 2) for i in np.flatnonzero(np.asarray(mask))[:limit]]
    return ", ".join(rows) + (" …" if int(np.asarray(mask).sum()) > limit else "")


def validate(raw, config):
    """The columns the pipeline needs, typed and checked; raises DataError listing every problem."""
    label, protected = config["label"], config["protected_attribute"]
    numeric, categorical = config["numeric"], config["categorical"]
    required = [*numeric, *categorical, protected, label]
    missing = [c for c in required if c not in raw.columns]
    if missing:
        raise DataError(f"Missing columns: {', '.join(missing)} (the input has: {', '.join(raw.columns)})")

    problems = []
    df = pd.DataFrame(index=raw.index)
    for column in numeric:
        text = raw[column].str.strip()
        values = pd.to_numeric(text, errors="coerce")
        bad = values.isna()
        if bad.any():
            problems.append(f"{column}: {int(bad.sum())} empty or non-numeric value(s), rows {_rows(bad)}")
        low, high = RANGES.get(column, (None, None))
        out = pd.Series(False, index=raw.index)
        if low is not None:
            out |= values < low
        if high is not None:
            out |= values > high
        if out.any():
            problems.append(f"{column}: {int(out.sum())} value(s) outside [{low}, {high if high is not None else '∞'}], rows {_rows(out)}")
        if column in INTEGER_COLUMNS:
            fractional = values.notna() & (values != values.round())
            if fractional.any():
                problems.append(f"{column}: {int(fractional.sum())} non-integer value(s), rows {_rows(fractional)}")
        df[column] = values.astype(float)

    for column, vocabulary in categorical.items():
        values = raw[column].str.strip().str.lower()
        unknown = ~values.isin(vocabulary)
        if unknown.any():
            seen = sorted(set(values[unknown]))[:5]
            problems.append(f"{column}: {int(unknown.sum())} value(s) outside {vocabulary} (e.g. {seen}), rows {_rows(unknown)}")
        df[column] = values

    groups = raw[protected].str.strip()
    unknown = ~groups.isin(config["protected_values"])
    if unknown.any():
        problems.append(f"{protected}: {int(unknown.sum())} value(s) outside {config['protected_values']}, rows {_rows(unknown)}")
    df[protected] = groups

    labels = raw[label].str.strip()
    bad = ~labels.isin(["0", "1"])
    if bad.any():
        problems.append(f"{label}: {int(bad.sum())} value(s) other than 0 or 1, rows {_rows(bad)}")
    df[label] = pd.to_numeric(labels, errors="coerce")

    if len(df) < MIN_ROWS:
        problems.append(f"only {len(df)} row(s): at least {MIN_ROWS} are needed to split and evaluate")
    if problems:
        raise DataError("The applications data is invalid:\n  - " + "\n  - ".join(problems))
    counts = df[label].value_counts()
    if len(counts) < 2 or counts.min() < 10:
        raise DataError(f"{label} needs at least 10 rows of each class to stratify the split (counts: {counts.to_dict()})")
    df[label] = df[label].astype(int)
    return df


def encode(df, config):
    """Model features in config.json order: numeric columns, then one 0/1 column per category value."""
    encoded = pd.DataFrame(index=df.index)
    for column in config["numeric"]:
        encoded[column] = df[column]
    for column, vocabulary in config["categorical"].items():
        for value in vocabulary:
            encoded[f"{column}_{value}"] = (df[column] == value).astype(int)
    if list(encoded.columns) != config["features"]:
        raise RuntimeError(f"Encoded columns {list(encoded.columns)} differ from config.json features {config['features']}")
    return encoded


def split(df, config):
    """Stratified, seeded train/validation/test index split."""
    s = config["split"]
    label = df[config["label"]]
    train_idx, rest_idx = train_test_split(df.index, train_size=s["train"], stratify=label, random_state=s["seed"])
    validation_share = s["validation"] / (s["validation"] + s["test"])
    validation_idx, test_idx = train_test_split(rest_idx, train_size=validation_share, stratify=label[rest_idx], random_state=s["seed"])
    return sorted(train_idx), sorted(validation_idx), sorted(test_idx)


def write_csv(frame, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, header=False, index=False, float_format="%.10g", lineterminator="\n")


def _quantile(sorted_values, p):
    """Linear between order statistics, written out (not np.quantile) so TypeScript computes the same bits."""
    h = (len(sorted_values) - 1) * p
    lo = math.floor(h)
    a = sorted_values[lo]
    b = sorted_values[min(lo + 1, len(sorted_values) - 1)]
    return a + (h - lo) * (b - a)


def _buckets(sorted_values, buckets):
    """Equal-frequency buckets: edges at the quantiles i/buckets, duplicates dropped; lower <= x < upper, last closed."""
    if not sorted_values:
        return []
    edges = []
    for i in range(buckets + 1):
        q = _quantile(sorted_values, i / buckets)
        if not edges or q > edges[-1]:
            edges.append(q)
    if len(edges) == 1:
        edges.append(edges[0])
    index = np.searchsorted(np.asarray(edges[1:-1], dtype=float), np.asarray(sorted_values, dtype=float), side="right")
    counts = np.bincount(index, minlength=len(edges) - 1)
    return [{"lower_bound": edges[i], "upper_bound": edges[i + 1], "count": int(counts[i])} for i in range(len(edges) - 1)]


def baseline_statistics(df, config, buckets=BASELINE_BUCKETS):
    """Model Monitor statistics.json of the raw model features of `df` (the training split)."""
    features = []
    for column in config["numeric"]:
        values = df[column].dropna().astype(float)
        present = [float(v) for v in sorted(values)]
        n = len(present)
        mean = float(values.mean()) if n else 0.0
        features.append({
            "name": column,
            "inferred_type": "Integral" if all(v.is_integer() for v in present) else "Fractional",
            "numerical_statistics": {
                "common": {"num_present": n, "num_missing": int(len(df) - n)},
                "mean": mean,
                "sum": float(values.sum()),
                # Population standard deviation, as Deequ computes it.
                "std_dev": float(values.std(ddof=0)) if n else 0.0,
                "min": present[0] if n else 0.0,
                "max": present[-1] if n else 0.0,
                "distribution": {"kll": {"buckets": _buckets(present, buckets)}},
            },
        })
    for column in config["categorical"]:
        values = df[column].dropna()
        counts = values.value_counts(sort=False)
        features.append({
            "name": column,
            "inferred_type": "String",
            "string_statistics": {
                "common": {"num_present": int(len(values)), "num_missing": int(len(df) - len(values))},
                "distinct_count": int(len(counts)),
                "distribution": {"categorical": {"buckets": [{"value": str(v), "count": int(c)} for v, c in sorted(counts.items())]}},
            },
        })
    return {"version": 0, "dataset": {"item_count": int(len(df))}, "features": features}


def write_json(value, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def run(input_dir, output_dir, input_uri, config_path):
    config = load_config(config_path)
    if not METADATA_VALUE.match(input_uri) or not input_uri.startswith("s3://"):
        raise DataError(
            f"InputDataUri {input_uri!r} cannot be registered as lineage: it must be an s3:// URI of at most 256 characters "
            "from letters, digits, space and _.:/=+-@ (CustomerMetadataProperties)"
        )
    files = input_files(input_dir)
    digest, listing = data_hash(Path(input_dir), files)
    df = validate(read_applications(files), config)
    features = encode(df, config)
    label = df[config["label"]]
    model_rows = pd.concat([label, features], axis=1)
    train_idx, validation_idx, test_idx = split(df, config)

    out = Path(output_dir)
    write_csv(model_rows.loc[train_idx], out / "train" / "train.csv")
    write_csv(model_rows.loc[validation_idx], out / "validation" / "validation.csv")
    write_csv(model_rows.loc[test_idx], out / "test" / "test.csv")
    clarify = pd.concat([model_rows.loc[test_idx], df.loc[test_idx, [config["protected_attribute"]]]], axis=1)
    write_csv(clarify, out / "clarify" / "clarify.csv")

    lineage = {
        "training_data_uri": input_uri,
        "training_data_hash": digest,
        "hash_method": "sha256 of the file; several files: sha256 of their sha256sum listing sorted by path",
        "files": listing,
        "rows": {"input": len(df), "train": len(train_idx), "validation": len(validation_idx), "test": len(test_idx)},
        "default_rate": {name: round(float(label.loc[idx].mean()), 6) for name, idx in (("train", train_idx), ("validation", validation_idx), ("test", test_idx))},
        "features": config["features"],
        "split": config["split"],
        "hyperparameters": config["hyperparameters"],
    }
    write_json(lineage, out / "lineage" / "lineage.json")
    write_json(baseline_statistics(df.loc[train_idx], config), out / "baseline" / "statistics.json")
    return lineage


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input-uri", required=True, help="the S3 URI the input was downloaded from (recorded as lineage)")
    parser.add_argument("--input-dir", default=str(PROCESSING / "input" / "data"))
    parser.add_argument("--output-dir", default=str(PROCESSING / "output"))
    parser.add_argument("--config", default=str(Path(__file__).with_name("config.json")))
    args = parser.parse_args(argv)
    try:
        lineage = run(args.input_dir, args.output_dir, args.input_uri, args.config)
    except DataError as error:
        print(f"Data error: {error}", file=sys.stderr)
        return 2
    print(json.dumps({"training_data_hash": lineage["training_data_hash"], "rows": lineage["rows"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
