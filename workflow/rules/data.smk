# Digit data: demo domains (when no course data is given), the tensor cache, a realism check.


rule demo_domain:
    """Write one demo digit domain in the course's hw2_data layout (only when data_root is empty)."""
    output:
        directory(results(paths.demo_data("digits/{domain}"))),
    log:
        "results/logs/demo_domain/{domain}.log",
    benchmark:
        "results/benchmarks/demo_domain/{domain}.tsv"
    priority: PRIORITY_EVERY_CORE
    threads: config["workers"]
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        py=PY,
        script=script("make_demo_data"),
        sizes=lambda wc: PRESET["demo_data"][wc.domain],  # split_sizes: test defaults to 0
        layout=PRESET["demo_data"]["layout"],
        seed=config["seed"],
    shell:
        "{params.py} {params.script} --domain {wildcards.domain} --out {output}"
        " --train {params.sizes[train]} --val {params.sizes[val]} --test {params.sizes[test]}"
        " --layout {params.layout} --seed {params.seed} --workers {threads} > {log} 2>&1"


rule cache_split:
    """Decode one split's PNGs once into uint8 tensors that training reads (2021 layout: val is a
    seeded share of train, held out of the train split)."""
    input:
        lambda wc: domain_dir(wc.domain),
    output:
        results(paths.cache("{domain}", "{split}")),
    log:
        "results/logs/cache_split/{domain}_{split}.log",
    benchmark:
        "results/benchmarks/cache_split/{domain}_{split}.tsv"
    priority: PRIORITY_DATA
    resources:
        mem_mb=4000,
        runtime=20,
    params:
        py=PY,
        script=script("build_cache"),
        holdout=holdout_args,
    shell:
        "{params.py} {params.script} --domain-dir {input} --split {wildcards.split} {params.holdout}"
        " --out {output} > {log} 2>&1"


rule official_classifier_on_split:
    """How the course's classifier reads a labelled split (the realism check of the demo MNIST-M)."""
    input:
        cache=results(paths.cache("{domain}", "{split}")),
        classifier=CLASSIFIER,
    output:
        report(
            results(paths.data("official_classifier_{domain}_{split}.csv")),
            category="Data",
            caption="../../report/official_classifier_split.rst",
        ),
    log:
        "results/logs/official_classifier_on_split/{domain}_{split}.log",
    benchmark:
        "results/benchmarks/official_classifier_on_split/{domain}_{split}.tsv"
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        py=PY,
        script=script("evaluate_digits"),
        device=config["device"],
    shell:
        "{params.py} {params.script} --cache {input.cache} --classifier {input.classifier}"
        " --device {params.device} --out {output} > {log} 2>&1"
