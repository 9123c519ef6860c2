# Problem 3: DANN, MNIST-M -> SVHN and MNIST-M -> USPS, three settings, several seeds.

TARGET_NAMES = {"svhn": "SVHN", "usps": "USPS"}
FIRST_SEED = PRESET["dann"]["seeds"][0]


wildcard_constraints:
    scenario="svhn|usps",
    setting="source_only|dann|target_only",
    seed="[0-9]+",


rule train_dann:
    """One training run; the data rules of the assignment are enforced by the script: source-only
    reads source labels, DANN source labels + target images, target-only target labels."""
    input:
        source="results/cache/mnistm/train.pt",
        target_train="results/cache/{scenario}/train.pt",
        target_val="results/cache/{scenario}/val.pt",
    output:
        model="results/dann_{scenario}/{setting}/seed{seed}/model.pt",
        metrics="results/dann_{scenario}/{setting}/seed{seed}/metrics.json",
    log:
        "results/logs/train_dann/{scenario}_{setting}_seed{seed}.log",
    benchmark:
        "results/benchmarks/train_dann/{scenario}_{setting}_seed{seed}.tsv"
    threads: 2
    resources:
        gpu=1,
        mem_mb=4000,
        runtime=60,
    params:
        py=PY,
        script=script("train_dann"),
        settings=settings("dann"),
        device=config["device"],
    shell:
        "{params.py} {params.script} --setting {wildcards.setting} --source {input.source}"
        " --target-train {input.target_train} --target-val {input.target_val} --model {output.model}"
        " --metrics {output.metrics} --settings {params.settings:q} --seed {wildcards.seed}"
        " --device {params.device} > {log} 2>&1"


rule dann_table:
    """The report's 3x2 table (mean +- sd over seeds)."""
    input:
        expand(
            rules.train_dann.output.metrics,
            scenario=DANN_SCENARIOS,
            setting=["source_only", "dann", "target_only"],
            seed=PRESET["dann"]["seeds"],
        ),
    output:
        csv=report(
            "results/dann/accuracy_table.csv",
            category="Problem 3: DANN",
            caption="../../report/dann_table.rst",
        ),
        md="results/dann/accuracy_table.md",
    log:
        "results/logs/dann_table.log",
    benchmark:
        "results/benchmarks/dann_table.tsv"
    resources:
        mem_mb=500,
        runtime=5,
    params:
        py=PY,
        script=script("dann_table"),
    shell:
        "{params.py} {params.script} --metrics {input} --out {output.csv} --md {output.md} > {log} 2>&1"


rule tsne:
    """t-SNE of the DANN features (first seed) on validation images of both domains."""
    input:
        model=f"results/dann_{{scenario}}/dann/seed{FIRST_SEED}/model.pt",
        source="results/cache/mnistm/val.pt",
        target="results/cache/{scenario}/val.pt",
    output:
        digit=report(
            "results/dann_{scenario}/tsne_digit.png",
            category="Problem 3: DANN",
            caption="../../report/dann_tsne_digit.rst",
        ),
        domain=report(
            "results/dann_{scenario}/tsne_domain.png",
            category="Problem 3: DANN",
            caption="../../report/dann_tsne_domain.rst",
        ),
        both=report(
            "results/dann_{scenario}/tsne.png",
            category="Problem 3: DANN",
            caption="../../report/dann_tsne.rst",
        ),
    log:
        "results/logs/tsne/{scenario}.log",
    benchmark:
        "results/benchmarks/tsne/{scenario}.tsv"
    threads: 2
    resources:
        mem_mb=3000,
        runtime=10,
    params:
        py=PY,
        script=script("tsne"),
        name=lambda wc: TARGET_NAMES[wc.scenario],
        settings=settings("tsne"),
        seed=config["seed"],
        device=config["device"],
    shell:
        "{params.py} {params.script} --model {input.model} --source {input.source} --target {input.target}"
        " --target-name {params.name} --settings {params.settings:q} --seed {params.seed}"
        " --out-digit {output.digit} --out-domain {output.domain} --out-both {output.both}"
        " --device {params.device} > {log} 2>&1"


rule export_dann_checkpoint:
    """The model hw2_3.sh uses for a target domain: the DANN run of the first seed."""
    input:
        rules.tsne.input.model,
    output:
        "checkpoints/dann_{scenario}.pt",
    log:
        "results/logs/export_dann_checkpoint/{scenario}.log",
    benchmark:
        "results/benchmarks/export_dann_checkpoint/{scenario}.tsv"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        py=PY,
        script=script("export_checkpoint"),
    shell:
        "{params.py} {params.script} dann --model {input} --out {output} > {log} 2>&1"
