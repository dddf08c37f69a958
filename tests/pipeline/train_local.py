#!/usr/bin/env python3
"""Test stand-in for the pipeline's Train step: the built-in SageMaker XGBoost container cannot run here, so the
tests call the xgboost library directly with the same hyperparameters (pipeline/steps/config.json) on Prep's
train/validation CSVs (label first, no header) and package the booster as the container does: model.tar.gz
holding `xgboost-model`.

Usage: python3 train_local.py --train-dir D --validation-dir D --model-dir D --config pipeline/steps/config.json
"""
import argparse
import json
import sys
import tarfile
import tempfile
from pathlib import Path

import pandas as pd
import xgboost as xgb

# Built-in algorithm hyperparameters → xgboost.train() parameters (num_round is the number of boosting rounds).
INTEGERS = {"max_depth", "seed"}
FLOATS = {"eta", "subsample", "colsample_bytree", "min_child_weight"}


def matrix(directory):
    frame = pd.concat([pd.read_csv(p, header=None) for p in sorted(Path(directory).glob("*.csv"))], ignore_index=True)
    return xgb.DMatrix(frame.iloc[:, 1:].to_numpy(dtype=float), label=frame.iloc[:, 0].to_numpy())


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--train-dir", required=True)
    parser.add_argument("--validation-dir", required=True)
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args(argv)
    with open(args.config, encoding="utf-8") as f:
        hyperparameters = dict(json.load(f)["hyperparameters"])
    rounds = int(hyperparameters.pop("num_round"))
    params = {k: int(v) if k in INTEGERS else float(v) if k in FLOATS else v for k, v in hyperparameters.items()}
    params["nthread"] = 2
    dtrain, dvalidation = matrix(args.train_dir), matrix(args.validation_dir)
    booster = xgb.train(params, dtrain, num_boost_round=rounds, evals=[(dvalidation, "validation")], verbose_eval=False)
    model_dir = Path(args.model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "xgboost-model"
        booster.save_model(str(path))
        with tarfile.open(model_dir / "model.tar.gz", "w:gz") as tar:
            tar.add(path, arcname="xgboost-model")
    print(json.dumps({"rounds": rounds, "validation": booster.eval(dvalidation, "validation")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
