# Evaluation that the generators share: the workflow's own evaluation classifier (eval_classifier),
# the accuracy of a generator's 1000 digits by it or by the course's Classifier.pth, and the
# generative metrics (FID, IS, KID) of the digit generators.


rule train_eval_classifier:
    """The pipeline's own MNIST-M classifier that scores the samples (trained on MNIST-M train)."""
    input:
        train=results(paths.cache("mnistm", "train")),
        val=results(paths.cache("mnistm", "val")),
    output:
        model=results(paths.eval_classifier("model.pt")),
        metrics=results(paths.eval_classifier("metrics.json")),
    log:
        "results/logs/train_eval_classifier.log",
    benchmark:
        "results/benchmarks/train_eval_classifier.tsv"
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=3000,
        runtime=30,
    params:
        py=PY,
        script=script("train_dann"),
        settings=settings("eval_classifier"),
        seed=config["seed"],
        device=config["device"],
    shell:
        "{params.py} {params.script} --setting target_only --target-train {input.train} --target-val {input.val}"
        " --model {output.model} --metrics {output.metrics} --settings {params.settings:q}"
        " --seed {params.seed} --device {params.device} > {log} 2>&1"


rule evaluate_samples:
    """Accuracy of a generator's 1000 digits by one judge: the course's Classifier.pth or our
    eval_classifier (the DDPM of problem 1 and the ACGAN of 2021 problem 2 alike)."""
    input:
        samples=results(paths.generator("{generator}", "samples")),
        classifier=lambda wc: (
            CLASSIFIER if wc.judge == "official_classifier" else rules.train_eval_classifier.output.model
        ),
    output:
        results(paths.generator("{generator}", "accuracy_{judge}.csv")),
    log:
        "results/logs/evaluate_samples/{generator}_{judge}.log",
    benchmark:
        "results/benchmarks/evaluate_samples/{generator}_{judge}.tsv"
    wildcard_constraints:
        judge="official_classifier|eval_classifier",
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        py=PY,
        script=script("evaluate_digits"),
        kind=lambda wc: "official" if wc.judge == "official_classifier" else "project",
        device=config["device"],
    shell:
        "{params.py} {params.script} --folder {input.samples} --classifier {input.classifier} --kind {params.kind}"
        " --device {params.device} --out {output} > {log} 2>&1"


rule generative_metrics:
    """FID, IS, KID, precision and recall (overall and per digit) of a generator's 1000 digits against
    MNIST-M val: in the evaluation classifier's features always, in Inception's when inception_weights
    names a local file."""
    input:
        unpack(inception_weights_input),
        samples=results(paths.generator("{generator}", "samples")),
        reference=results(paths.cache("mnistm", "val")),
        eval_classifier=rules.train_eval_classifier.output.model,
    output:
        results(paths.generator("{generator}", "generative_metrics.json")),
    log:
        "results/logs/generative_metrics/{generator}.log",
    benchmark:
        "results/benchmarks/generative_metrics/{generator}.tsv"
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=3000,
        runtime=30,
    params:
        py=PY,
        script=script("generative_metrics"),
        settings=settings("generative_metrics"),
        inception=inception_option,
        device=config["device"],
    shell:
        "{params.py} {params.script} --samples {input.samples} --reference {input.reference}"
        " --eval-classifier {input.eval_classifier} --per-class {params.inception}"
        " --settings {params.settings:q} --device {params.device} --out {output} > {log} 2>&1"


rule digit_metrics_real:
    """The same metrics of as many real MNIST-M train digits as a generator draws (1000): the ceiling of
    precision and recall, the floor of FID, that the generators are read against."""
    input:
        unpack(inception_weights_input),
        samples=results(paths.cache("mnistm", "train")),
        reference=results(paths.cache("mnistm", "val")),
        eval_classifier=rules.train_eval_classifier.output.model,
    output:
        results(paths.data("generative_metrics_train.json")),
    log:
        "results/logs/generative_metrics/mnistm_train.log",
    benchmark:
        "results/benchmarks/generative_metrics/mnistm_train.tsv"
    threads: JOB_THREADS
    resources:
        gpu=GPU,
        mem_mb=3000,
        runtime=30,
    params:
        py=PY,
        script=script("generative_metrics"),
        settings=settings("generative_metrics"),
        inception=inception_option,
        scored=PRESET["generative_metrics"]["reference_size"],
        device=config["device"],
    shell:
        "{params.py} {params.script} --samples {input.samples} --max-samples {params.scored}"
        " --reference {input.reference} --eval-classifier {input.eval_classifier} --per-class {params.inception}"
        " --settings {params.settings:q} --device {params.device} --out {output} > {log} 2>&1"
