#!/usr/bin/env python3
"""Evaluate step of creditai-training (SageMaker Processing, built-in XGBoost image: xgboost, pandas, sklearn).

Loads the model the training step produced (model.tar.gz holding `xgboost-model`), scores the test set Prep
wrote (label first, no header) and writes:

  <output>/evaluation/evaluation.json
      model-quality statistics in the layout the control plane's gates read (shared/contracts/reports.ts):
      binary_classification_metrics.auc.value and .ks.value, each with a bootstrap standard_deviation, plus the
      metrics at the decision threshold (accuracy, precision, recall, f1, rates, confusion matrix);
  <output>/clarify_config/analysis_config.json
      the Clarify analysis configuration (analysis_config.json next to this script) completed with what only this
      run knows: predictor.model_name (the ClarifyModel step's model) and a SHAP baseline (one row: the median
      applicant of the test set, the most frequent value of each one-hot group);
  <output>/explainer/explainer.json
      the explainer reason codes are computed from (shared/contracts/explainer.ts): a linear surrogate of the
      booster in log-odds, fitted by least squares to the booster's margin on the training split, with its
      fidelity (R² of the surrogate's log-odds against the booster's on the test set) and the training means as
      the SHAP reference point. Registered as CustomerMetadataProperties `explainer:uri`.

KS is max |TPR - FPR| over the ROC curve. The positive class is a default (label 1); the score is its probability.
Paths default to SageMaker's (/opt/ml/processing/...); tests pass their own.
"""
import argparse
import json
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.linear_model import LinearRegression
from sklearn.metrics import confusion_matrix, r2_score, roc_auc_score, roc_curve

PROCESSING = Path("/opt/ml/processing")
HERE = Path(__file__).resolve().parent
MODEL_FILE = "xgboost-model"


class EvaluationError(Exception):
    """The model or the test set cannot be evaluated."""


def load_config(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _safe_extract(archive, target):
    """Extracts a tar.gz, refusing members that would land outside target."""
    root = Path(target).resolve()
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            destination = (root / member.name).resolve()
            if root not in destination.parents and destination != root:
                raise EvaluationError(f"{archive}: member {member.name!r} would be extracted outside {root}")
            if not (member.isfile() or member.isdir()):
                raise EvaluationError(f"{archive}: member {member.name!r} is not a regular file")
        tar.extractall(root)


def load_booster(model_dir, workdir):
    """The booster from model.tar.gz (as SageMaker training writes it) or a bare xgboost-model file."""
    model_dir = Path(model_dir)
    candidates = [model_dir / MODEL_FILE]
    archives = sorted(model_dir.rglob("*.tar.gz"))
    if archives:
        _safe_extract(archives[0], workdir)
        candidates.insert(0, Path(workdir) / MODEL_FILE)
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise EvaluationError(f"No {MODEL_FILE} in {model_dir} (nor in a model.tar.gz there)")
    booster = xgb.Booster()
    try:
        booster.load_model(str(path))
    except xgb.core.XGBoostError:
        # Containers before 1.3 pickled the booster; our own training step wrote it, so unpickling is trusted.
        import pickle  # noqa: S403

        with open(path, "rb") as f:
            booster = pickle.load(f)  # noqa: S301
    return booster


def read_split(split_dir, features, name="test"):
    files = sorted(Path(split_dir).rglob("*.csv"))
    if not files:
        raise EvaluationError(f"No {name} CSV under {split_dir}")
    data = pd.concat([pd.read_csv(p, header=None) for p in files], ignore_index=True)
    if data.shape[1] != len(features) + 1:
        raise EvaluationError(f"The {name} set has {data.shape[1]} columns; expected the label and {len(features)} features")
    y = data.iloc[:, 0].astype(int).to_numpy()
    if set(np.unique(y)) != {0, 1}:
        raise EvaluationError(f"The {name} labels must hold both classes 0 and 1 (found {sorted(set(np.unique(y)))})")
    x = data.iloc[:, 1:].astype(float)
    x.columns = features
    return x, y


def read_test(test_dir, features):
    return read_split(test_dir, features, "test")


def explainer(booster, x_train, x_test, config):
    """Linear surrogate of the booster in log-odds (explainer.json), fitted on train, its fidelity measured on test."""
    margin = lambda x: booster.predict(xgb.DMatrix(x.to_numpy()), output_margin=True)  # noqa: E731
    surrogate = LinearRegression().fit(x_train.to_numpy(), margin(x_train))
    r2 = float(r2_score(margin(x_test), surrogate.predict(x_test.to_numpy())))
    return {
        "kind": "linear-logit",
        "features": list(config["features"]),
        "intercept": float(surrogate.intercept_),
        "coefficients": [float(c) for c in surrogate.coef_],
        "baseline": [float(v) for v in x_train.mean().to_numpy()],
        "schema": {"numeric": list(config["numeric"]), "categorical": {k: list(v) for k, v in config["categorical"].items()}},
        # The contract bounds R² to [-1, 1]; a surrogate worse than that explains nothing either way.
        "fidelity": {"r2": max(-1.0, min(1.0, r2)), "rows": int(len(x_test))},
        "label": config["label"],
    }


def ks_statistic(y, scores):
    fpr, tpr, _ = roc_curve(y, scores)
    return float(np.max(np.abs(tpr - fpr)))


def point_metrics(y, scores, threshold):
    """Every figure at once, so the bootstrap recomputes them together."""
    predicted = (scores > threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, predicted, labels=[0, 1]).ravel()
    safe = lambda a, b: float(a / b) if b else 0.0  # noqa: E731
    precision, recall = safe(tp, tp + fp), safe(tp, tp + fn)
    return {
        "auc": float(roc_auc_score(y, scores)),
        "ks": ks_statistic(y, scores),
        "accuracy": safe(tp + tn, len(y)),
        "precision": precision,
        "recall": recall,
        "f1": safe(2 * precision * recall, precision + recall),
        "true_positive_rate": recall,
        "false_positive_rate": safe(fp, fp + tn),
    }, {"0": {"0": int(tn), "1": int(fp)}, "1": {"0": int(fn), "1": int(tp)}}


def evaluation_report(y, scores, threshold, resamples, seed):
    """Model-quality statistics: every metric as {value, standard_deviation} (bootstrap over the test rows)."""
    values, matrix = point_metrics(y, scores, threshold)
    rng = np.random.default_rng(seed)
    samples = {name: [] for name in values}
    for _ in range(resamples):
        idx = rng.integers(0, len(y), len(y))
        if len(np.unique(y[idx])) < 2:
            continue
        for name, value in point_metrics(y[idx], scores[idx], threshold)[0].items():
            samples[name].append(value)
    metrics = {
        name: {"value": value, "standard_deviation": float(np.std(samples[name], ddof=1)) if len(samples[name]) > 1 else None}
        for name, value in values.items()
    }
    metrics["confusion_matrix"] = matrix
    return {
        "version": 0.0,
        "dataset": {"item_count": int(len(y)), "positive_label": 1, "decision_threshold": threshold},
        "binary_classification_metrics": metrics,
    }


def shap_baseline(x, config):
    """One baseline row in feature order: medians, and a valid one-hot pattern (the most frequent value) per group."""
    row = x.median().to_dict()
    for column, vocabulary in config["categorical"].items():
        group = [f"{column}_{v}" for v in vocabulary]
        top = x[group].sum().idxmax()
        for name in group:
            row[name] = 1 if name == top else 0
    return [[float(row[f]) if f in config["numeric"] else int(row[f]) for f in config["features"]]]


def clarify_config(template_path, model_name, baseline):
    with open(template_path, encoding="utf-8") as f:
        analysis = json.load(f)
    analysis["predictor"]["model_name"] = model_name
    analysis["methods"]["shap"]["baseline"] = baseline
    return analysis


def write_json(value, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def run(model_dir, test_dir, output_dir, model_name, config_path, template_path, resamples=200, seed=7, train_dir=None):
    config = load_config(config_path)
    x, y = read_test(test_dir, config["features"])
    with tempfile.TemporaryDirectory() as workdir:
        booster = load_booster(model_dir, workdir)
    x_train, _ = read_split(train_dir, config["features"], "train") if train_dir else (None, None)
    scores = booster.predict(xgb.DMatrix(x.to_numpy(), feature_names=None))
    report = evaluation_report(y, np.asarray(scores, dtype=float), config["decision_threshold"], resamples, seed)
    out = Path(output_dir)
    write_json(report, out / "evaluation" / "evaluation.json")
    write_json(clarify_config(template_path, model_name, shap_baseline(x, config)), out / "clarify_config" / "analysis_config.json")
    if x_train is not None:
        write_json(explainer(booster, x_train, x, config), out / "explainer" / "explainer.json")
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-name", required=True, help="the SageMaker model Clarify's shadow endpoint serves")
    parser.add_argument("--model-dir", default=str(PROCESSING / "input" / "model"))
    parser.add_argument("--test-dir", default=str(PROCESSING / "input" / "test"))
    parser.add_argument("--train-dir", default=str(PROCESSING / "input" / "train"), help="the training split the explainer's surrogate is fitted on")
    parser.add_argument("--output-dir", default=str(PROCESSING / "output"))
    parser.add_argument("--config", default=str(HERE / "config.json"))
    parser.add_argument("--clarify-template", default=str(HERE / "analysis_config.json"))
    parser.add_argument("--bootstrap", type=int, default=200, help="bootstrap resamples for the standard deviations")
    args = parser.parse_args(argv)
    try:
        report = run(args.model_dir, args.test_dir, args.output_dir, args.model_name, args.config, args.clarify_template, args.bootstrap, train_dir=args.train_dir)
    except EvaluationError as error:
        print(f"Evaluation error: {error}", file=sys.stderr)
        return 2
    m = report["binary_classification_metrics"]
    print(json.dumps({"auc": m["auc"]["value"], "ks": m["ks"]["value"], "rows": report["dataset"]["item_count"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
