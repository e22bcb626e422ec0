"""Reference for bench/training.ts: TF-IDF (word 1-2-grams + char_wb 2-5-grams) with LinearSVC, per task.

Reads train.jsonl and test.jsonl ({"text": ..., "labels": {task: label|null}}) from the folder given as
argv[1]; prints one JSON object with fit time, predict time (the median of 5 passes of vectorizing the
test texts and predicting every task, one process and, with Debian's BLAS-free LinearSVC, one thread),
accuracy and macro-F1 per task, peak RSS.
Run by /usr/bin/python3 with Debian's python3-sklearn; never a project dependency.
"""
import json
import resource
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_union
from sklearn.svm import LinearSVC

PREDICT_PASSES = 5


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    folder = sys.argv[1]
    train = read(f"{folder}/train.jsonl")
    test = read(f"{folder}/test.jsonl")
    tasks = sorted({t for row in train for t in row["labels"]})
    start = time.perf_counter()
    vectorizer = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1),
    )
    x_train = vectorizer.fit_transform([r["text"] for r in train])
    models = {}
    for task in tasks:
        rows = [i for i, r in enumerate(train) if r["labels"].get(task) is not None]
        models[task] = LinearSVC(C=1.0).fit(x_train[rows], [train[i]["labels"][task] for i in rows])
    fit_seconds = time.perf_counter() - start

    # Prediction as a service would do it: vectorize the test texts and predict every task for every email.
    # The median of PREDICT_PASSES timed passes after one warm-up pass; the metrics are computed outside.
    texts = [r["text"] for r in test]

    def predict_all():
        x = vectorizer.transform(texts)
        return {task: models[task].predict(x) for task in tasks}

    predictions = predict_all()
    passes = []
    for _ in range(PREDICT_PASSES):
        start = time.perf_counter()
        predict_all()
        passes.append(time.perf_counter() - start)
    passes.sort()
    result = {"tasks": {}, "fit_seconds": fit_seconds, "predict_seconds": passes[len(passes) // 2]}
    for task in tasks:
        rows = [i for i, r in enumerate(test) if r["labels"].get(task) is not None]
        truth = [test[i]["labels"][task] for i in rows]
        predicted = [predictions[task][i] for i in rows]
        result["tasks"][task] = {
            "accuracy": accuracy_score(truth, predicted),
            "macro_f1": f1_score(truth, predicted, average="macro", zero_division=0),
            "support": len(truth),
        }
    result["test_rows"] = len(test)
    result["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    import sklearn

    result["sklearn"] = sklearn.__version__
    print(json.dumps(result))


if __name__ == "__main__":
    main()
